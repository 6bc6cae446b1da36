/// A scanner plugin: what it checks, what it needs, how to run it and how its severities map.
public struct Scanner: Codable, Sendable, Hashable {
    /// `stageflow.dev/v1alpha1`.
    public var apiVersion: String = ResourceKind.scanner.apiVersion
    /// `Scanner`.
    public var kind: String = ResourceKind.scanner.kind
    /// Name (equal to the scanner id) and revision.
    public var metadata: ObjectMeta
    /// The manifest.
    public var spec: ScannerSpec
    /// What the registry observed.
    public var status: ScannerStatus?

    /// A Scanner.
    public init(metadata: ObjectMeta, spec: ScannerSpec, status: ScannerStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// A scanner manifest.
public struct ScannerSpec: Codable, Sendable, Hashable {
    /// `^[a-z][a-z0-9-]*$`.
    public var id: String
    /// Semantic version of the scanner.
    public var version: String
    /// Human-readable name.
    public var displayName: String?
    /// What the scanner checks.
    public var description: String?
    /// Categories, browser needs and concurrency.
    public var capabilities: ScannerCapabilities?
    /// JSON Schema of the per-job configuration.
    public var configSchema: JSONValue?
    /// Memory, time and network needs.
    public var requirements: ScannerRequirements?
    /// Built-in implementation or an executable command.
    public var entry: ScannerEntry
    /// Raw severity → normalised severity.
    public var severityMapping: [String: Severity]?

    /// A manifest.
    public init(id: String, version: String, entry: ScannerEntry) {
        self.id = id
        self.version = version
        self.entry = entry
    }
}

/// What a scanner does and how it may run.
public struct ScannerCapabilities: Codable, Sendable, Hashable {
    /// `accessibility`, `performance`, `seo`, …
    public var categories: [String]?
    /// Needs headless Chromium.
    public var requiresBrowser: Bool?
    /// Pages scanned at once.
    public var maxConcurrency: Int64?
    /// Rough cost per page, in milliseconds.
    public var estimatedMillisecondsPerPage: Int64?
}

/// What a scanner needs from its container.
public struct ScannerRequirements: Codable, Sendable, Hashable {
    /// Memory in MiB.
    public var memoryMiB: Int64?
    /// Time limit in seconds.
    public var timeoutSeconds: Int64?
    /// `none`, `target` or `any`.
    public var network: String?
}

/// How a scanner is run: a built-in implementation, an exec plugin installed where the controller runs (by its
/// id), or — in manifests installed with the controller only — a command.
public struct ScannerEntry: Codable, Sendable, Hashable {
    /// Name of a built-in implementation.
    public var builtin: String?
    /// Id of an installed exec plugin whose manifest's command runs.
    public var plugin: String?
    /// argv of an executable plugin; read only from installed manifests, never from the API.
    public var command: [String]?
    /// Name of the long-lived controller that runs the scanner itself and writes its results (`vision` for the
    /// vision agent): the ScanJob controller starts no container for it, and waits for its results.
    public var controller: String?

    /// An entry.
    public init(builtin: String? = nil, plugin: String? = nil, command: [String]? = nil, controller: String? = nil) {
        self.builtin = builtin
        self.plugin = plugin
        self.command = command
        self.controller = controller
    }
}

/// What the registry observed of a scanner.
public struct ScannerStatus: Codable, Sendable, Hashable {
    /// `Available` and so on.
    public var conditions: [Condition]?
    /// Where the manifest was loaded from.
    public var source: String?
    /// The generation this status describes.
    public var observedGeneration: Int64?
}
