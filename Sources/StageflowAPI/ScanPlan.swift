/// What a scanner pod is told to do: written by the controller to `artifacts/<job-uid>/plan.json` before the
/// pod starts, read by `stageflow scanner run`. Deterministic for a given job (no timestamps), so rewriting it
/// after a controller restart changes nothing.
public struct ScanPlan: Codable, Sendable, Hashable {
    /// Format version of the plan.
    public var version: Int
    /// The job the plan belongs to.
    public var job: PlannedJob
    /// Seed URLs, in the order given.
    public var urls: [String]
    /// Crawl options, when the job crawls from the seeds.
    public var crawl: CrawlOptions?
    /// Whether private addresses may be scanned (the server's policy and the job's request together).
    public var allowPrivateTargets: Bool
    /// Scanners to run, each in its own container.
    public var scanners: [PlannedScanner]
    /// `artifacts/<job-uid>/`: where results, evidence and reports go.
    public var artifactsPrefix: String
    /// Origins the job may always reach whatever the private-targets policy: the site an archive job serves
    /// from its own pod on loopback (`http://127.0.0.1:PORT`); nothing else on loopback.
    public var allowedOrigins: [String]?

    /// A plan.
    public init(
        job: PlannedJob, urls: [String], crawl: CrawlOptions?, allowPrivateTargets: Bool, scanners: [PlannedScanner],
        artifactsPrefix: String, allowedOrigins: [String]? = nil
    ) {
        self.version = 1
        self.job = job
        self.urls = urls
        self.crawl = crawl
        self.allowPrivateTargets = allowPrivateTargets
        self.scanners = scanners
        self.artifactsPrefix = artifactsPrefix
        self.allowedOrigins = allowedOrigins
    }

    /// The plan entry of a scanner.
    public func scanner(_ id: String) -> PlannedScanner? {
        scanners.first { $0.id == id }
    }
}

/// Identity of the planned job.
public struct PlannedJob: Codable, Sendable, Hashable {
    /// Job uid.
    public var uid: String
    /// Namespace.
    public var namespace: String
    /// Name.
    public var name: String

    /// A job identity.
    public init(uid: String, namespace: String, name: String) {
        self.uid = uid
        self.namespace = namespace
        self.name = name
    }
}

extension ScanPlan {
    /// The container of the built-in scanners that share one browser.
    public static let sharedBrowserContainer = "shared-browser"
    /// The container of an archive job that extracts the upload and serves it on loopback. The dot keeps it
    /// apart from every scanner id (`^[a-z][a-z0-9-]*$`).
    public static let archiveContainer = "archive.server"

    /// The plan's scanners by the container they run in, in plan order; scanners a controller runs itself
    /// (`entry.controller`) have none.
    public var containers: [(name: String, scanners: [PlannedScanner])] {
        var order: [String] = []
        var members: [String: [PlannedScanner]] = [:]
        for scanner in scanners where scanner.entry.controller == nil {
            let name = scanner.containerName
            if members[name] == nil { order.append(name) }
            members[name, default: []].append(scanner)
        }
        return order.map { ($0, members[$0] ?? []) }
    }
}

/// One scanner of a plan, with everything the runner needs from its manifest.
public struct PlannedScanner: Codable, Sendable, Hashable {
    /// Scanner id.
    public var id: String
    /// Manifest version.
    public var version: String
    /// How to run it.
    public var entry: ScannerEntry
    /// The job's configuration for it.
    public var config: JSONValue?
    /// Pages scanned at once.
    public var maxConcurrency: Int64
    /// Time limit of its container.
    public var timeoutSeconds: Int64?
    /// Memory limit of its container.
    public var memoryMiB: Int64?
    /// Raw severity → normalised severity.
    public var severityMapping: [String: Severity]?
    /// Whether it drives a browser: built-in page scanners that do share one container, one browser and one
    /// load of each page.
    public var requiresBrowser: Bool?

    /// A planned scanner.
    public init(
        id: String, version: String, entry: ScannerEntry, config: JSONValue?, maxConcurrency: Int64,
        timeoutSeconds: Int64?, memoryMiB: Int64?, severityMapping: [String: Severity]?, requiresBrowser: Bool? = nil
    ) {
        self.id = id
        self.version = version
        self.entry = entry
        self.config = config
        self.maxConcurrency = maxConcurrency
        self.timeoutSeconds = timeoutSeconds
        self.memoryMiB = memoryMiB
        self.severityMapping = severityMapping
        self.requiresBrowser = requiresBrowser
    }

    /// The container it runs in: built-in scanners that need a browser share `ScanPlan.sharedBrowserContainer`,
    /// every other scanner has a container named after itself.
    public var containerName: String {
        requiresBrowser == true && entry.builtin != nil ? ScanPlan.sharedBrowserContainer : id
    }
}
