import Foundation
import StageflowAPI
import StageflowSchema
import StageflowStore

/// The registered scanners as admission sees them: refreshed from the store before every write of a kind that
/// names scanners, then read synchronously while the write is validated.
final class ScannerCatalogCache: @unchecked Sendable {
    private let lock = NSLock()
    private var specs: [String: ScannerSpec] = [:]
    private var running: Set<String> = []

    /// Reloads the catalog from the store, and which scanner controllers (`entry.controller`) hold their Lease.
    func refresh(from store: ResourceStore) async throws {
        var options = ListOptions(limit: 500)
        var loaded: [String: ScannerSpec] = [:]
        repeat {
            let page = try await store.list(.scanner, namespace: nil, options: options)
            for object in page.items {
                if let spec = try? object["spec"]?.decode(as: ScannerSpec.self) { loaded[spec.id] = spec }
            }
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        var alive: Set<String> = []
        for controller in Set(loaded.values.compactMap(\.entry.controller)) {
            let lease = try? await store.get(
                .lease, namespace: ScannerController.leaseNamespace, name: ScannerController.leaseName(controller))
            if ScannerController.isRunning(lease: lease, now: Date()) { alive.insert(controller) }
        }
        lock.withLock {
            specs = loaded
            running = alive
        }
    }

    /// The current catalog.
    var snapshot: [String: ScannerSpec] { lock.withLock { specs } }

    /// The scanner controllers running at the last refresh.
    var runningControllers: Set<String> { lock.withLock { running } }
}

/// Checks the scanners a ScanJob (or a ScanSchedule's job template) selects: each must be registered, and its
/// `config` must satisfy that scanner's `configSchema`.
enum ScannerSelectionValidation {
    /// The field path of the scanner list in objects of `kind`, or `nil` for kinds without one.
    static func scannersPath(_ kind: ResourceKind) -> [String]? {
        switch kind {
        case .scanJob: return ["spec", "scanners"]
        case .scanSchedule: return ["spec", "jobTemplate", "spec", "scanners"]
        default: return nil
        }
    }

    static func causes(of object: JSONValue, kind: ResourceKind, catalog: [String: ScannerSpec]) -> [APIStatus.Cause] {
        guard let path = scannersPath(kind), let selections = object[path: path]?.arrayValue else { return [] }
        let prefix = path.joined(separator: ".")
        var causes: [APIStatus.Cause] = []
        for (index, selection) in selections.enumerated() {
            guard let name = selection["name"]?.stringValue else { continue }
            guard let spec = catalog[name] else {
                let known = catalog.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                causes.append(
                    .init(
                        reason: "FieldValueNotSupported",
                        message: "Unsupported value: \"\(name)\": no Scanner named \"\(name)\" is registered (registered: \(known))",
                        field: "\(prefix)[\(index)].name"))
                continue
            }
            guard let schema = spec.configSchema else { continue }
            let config = selection["config"] ?? .object([:])
            do {
                causes += try SchemaRegistry.validate(config, againstJSONSchema: schema, at: "\(prefix)[\(index)].config")
            } catch {
                causes.append(
                    .init(
                        reason: "FieldValueInvalid",
                        message: "the configSchema of Scanner \"\(name)\" cannot be used: \(error)",
                        field: "\(prefix)[\(index)].config"))
            }
        }
        return causes
    }

    /// Warnings for selected scanners that a controller runs (`entry.controller`) when no such controller is running:
    /// the job is accepted, and that scanner will be skipped.
    static func warnings(of object: JSONValue, kind: ResourceKind, catalog: [String: ScannerSpec], running: Set<String>) -> [String] {
        guard let path = scannersPath(kind), let selections = object[path: path]?.arrayValue else { return [] }
        return selections.compactMap { selection in
            guard let name = selection["name"]?.stringValue, let controller = catalog[name]?.entry.controller,
                !running.contains(controller)
            else { return nil }
            return "\(name) will be skipped: " + ScannerController.skipMessage(controller)
        }
    }
}

/// Once a ScanJob has started, its spec is fixed but for `suspend` and `ttlSecondsAfterFinished`.
enum ScanJobImmutability {
    static let mutableFields: Set<String> = ["suspend", "ttlSecondsAfterFinished"]

    static func causes(current: JSONValue, proposed: JSONValue) -> [APIStatus.Cause] {
        let phase = current[path: ["status", "phase"]]?.stringValue ?? "Pending"
        guard phase != "Pending" else { return [] }
        let before = current["spec"]?.objectValue ?? [:]
        let after = proposed["spec"]?.objectValue ?? [:]
        let changed = Set(before.keys).union(after.keys).subtracting(mutableFields).filter { before[$0] != after[$0] }
        return changed.sorted().map { field in
            .init(
                reason: "FieldValueForbidden",
                message: "Forbidden: the job has started (phase \(phase)); only suspend and ttlSecondsAfterFinished may change",
                field: "spec.\(field)")
        }
    }
}
