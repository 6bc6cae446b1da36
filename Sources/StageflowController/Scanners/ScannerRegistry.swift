import Foundation
import Logging
import StageflowAPI
import StageflowSchema

/// Loads scanner manifests at start-up — the built-ins compiled into the binary (`manifests/scanners/`), plugins
/// from `/plugins`, `~/.stageflow/plugins` and `PLUGIN_PATHS` — validates each against
/// `scanner-manifest.schema.json` before using any of it, and publishes them as `Scanner` resources. An invalid manifest stops start-up with its file and
/// the JSON pointer of the fault.
public struct ScannerRegistry: Sendable {
    /// A manifest and where it came from.
    public struct Entry: Sendable {
        /// The Scanner resource.
        public var scanner: JSONValue
        /// The file it was read from.
        public var source: String
    }

    /// The manifests found, in load order (later directories override earlier ones by id).
    public let entries: [Entry]

    /// The JSON Schema every manifest must satisfy (embedded, so a binary always has it).
    public static let manifestSchema: JSONValue = {
        // The schema is part of the build; failing to parse it is a build defect caught by the tests.
        (try? JSONValue.parse(Data(PackageResources.scanner_manifest_schema_json))) ?? .object([:])
    }()

    /// Loads every `*.yaml`, `*.yml` and `*.json` manifest in `directories` (missing directories are skipped).
    public init(directories: [URL]) throws {
        try self.init(builtins: [], directories: directories)
    }

    /// `builtins` (already validated, such as `embeddedBuiltins()`), then every manifest in `directories`; a later
    /// one overrides an earlier one by id.
    public init(builtins: [Entry], directories: [URL]) throws {
        var byID: [String: Entry] = [:]
        var order: [String] = []
        var loaded = builtins
        for directory in directories {
            guard let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            else { continue }
            for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent })
            where ["yaml", "yml", "json"].contains(file.pathExtension.lowercased()) {
                loaded.append(try Self.load(file))
            }
        }
        for entry in loaded {
            guard let id = entry.scanner[path: ["spec", "id"]]?.stringValue else { continue }
            if byID[id] == nil { order.append(id) }
            byID[id] = entry
        }
        entries = order.compactMap { byID[$0] }
    }

    /// Reads and validates one manifest file.
    public static func load(_ file: URL) throws -> Entry {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ManifestError(file: file.path, pointer: "", message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, source: file.path, isJSON: file.pathExtension.lowercased() == "json")
    }

    /// Validates one manifest's text; `source` names it in errors and in the published Scanner's annotation.
    public static func parse(_ text: String, source: String, isJSON: Bool) throws -> Entry {
        let document: JSONValue
        do {
            document = try isJSON ? JSONValue.parse(text) : JSONValue.parseYAML(text)
        } catch {
            throw ManifestError(file: source, pointer: "", message: "not valid YAML/JSON: \(error)")
        }
        let causes: [APIStatus.Cause]
        do {
            causes = try SchemaRegistry.validate(document, againstJSONSchema: manifestSchema, at: "")
        } catch {
            throw ManifestError(file: source, pointer: "", message: "the manifest schema is unusable: \(error)")
        }
        if let first = causes.first {
            let all = causes.map { "\(pointer($0.field ?? "")): \($0.message)" }.joined(separator: "; ")
            throw ManifestError(file: source, pointer: pointer(first.field ?? ""), message: all)
        }
        if document[path: ["metadata", "name"]] != document[path: ["spec", "id"]] {
            throw ManifestError(file: source, pointer: "/metadata/name", message: "must equal spec.id")
        }
        return Entry(scanner: document, source: source)
    }

    /// Converts a Kubernetes field path (`spec.entry.command[0]`, `spec.severityMapping[low]`) into a JSON pointer
    /// (`/spec/entry/command/0`).
    static func pointer(_ field: String) -> String {
        var tokens: [String] = []
        var current = ""
        var inBracket = false
        for character in field {
            switch character {
            case "." where !inBracket:
                if !current.isEmpty { tokens.append(current) }
                current = ""
            case "[" where !inBracket:
                if !current.isEmpty { tokens.append(current) }
                current = ""
                inBracket = true
            case "]" where inBracket:
                tokens.append(current)
                current = ""
                inBracket = false
            default:
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return JSONPointer(tokens: tokens).description.isEmpty ? "/" : JSONPointer(tokens: tokens).description
    }

    /// The directories searched, in order: the built-ins, the operator's `pluginDirectories` (`--plugin-dir`),
    /// `/plugins`, `~/.stageflow/plugins`, then each entry of `PLUGIN_PATHS` (colon-separated). These are the only
    /// places exec plugins come from.
    public static func defaultDirectories(
        builtin: URL, pluginDirectories: [URL] = [], environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [URL] {
        [builtin] + Self.pluginDirectories(pluginDirectories, environment: environment)
    }

    /// How each installed scanner runs, by id: the only place exec plugins' command lines come from.
    public var installedEntries: [String: ScannerEntry] {
        var result: [String: ScannerEntry] = [:]
        for entry in entries {
            guard let id = entry.scanner[path: ["spec", "id"]]?.stringValue,
                let decoded = try? entry.scanner[path: ["spec", "entry"]]?.decode(as: ScannerEntry.self)
            else { continue }
            result[id] = decoded
        }
        return result
    }

    /// The label that marks the Scanners installed with the controller, which only the controllers may change.
    public static let installedLabel = "stageflow.dev/installed"

    /// The Scanner resource an installed manifest is published as: labelled installed, its source annotated,
    /// and an exec plugin's command line replaced by a reference to the plugin (the command stays here).
    static func published(_ entry: Entry) -> JSONValue {
        var desired = entry.scanner
        var annotations = desired[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        annotations["stageflow.dev/source"] = .string(entry.source)
        desired["metadata"]?["annotations"] = .object(annotations)
        var labels = desired[path: ["metadata", "labels"]]?.objectValue ?? [:]
        labels[installedLabel] = "true"
        desired["metadata"]?["labels"] = .object(labels)
        if desired[path: ["spec", "entry", "command"]] != nil, let id = desired[path: ["spec", "id"]] {
            desired["spec"]?["entry"] = ["plugin": id]
        }
        return desired
    }

    /// Creates or updates every manifest as a `Scanner` resource, so the API and the controller see the same set.
    public func publish(to client: any ResourceClient, logger: Logger) async throws {
        for entry in entries {
            let name = entry.scanner[path: ["metadata", "name"]]?.stringValue ?? ""
            let desired = Self.published(entry)
            do {
                let existing = try await client.get(.scanner, namespace: nil, name: name)
                var updated = existing
                updated["spec"] = desired["spec"]
                updated["metadata"]?["annotations"] = desired[path: ["metadata", "annotations"]]
                updated["metadata"]?["labels"] = desired[path: ["metadata", "labels"]]
                if updated != existing { _ = try await client.update(.scanner, updated) }
            } catch let status as APIStatus where status.code == 404 {
                _ = try await client.create(.scanner, desired)
            }
            logger.debug("scanner \(name) from \(entry.source)")
        }
    }
}

/// An invalid scanner manifest: the file, the JSON pointer of the fault and what is wrong.
public struct ManifestError: Error, CustomStringConvertible, Sendable {
    /// The manifest file.
    public let file: String
    /// JSON pointer of the first fault.
    public let pointer: String
    /// Every fault.
    public let message: String

    public var description: String { "invalid scanner manifest \(file) at \(pointer.isEmpty ? "/" : pointer): \(message)" }
}
