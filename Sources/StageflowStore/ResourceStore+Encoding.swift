import Foundation
import StageflowAPI

extension ResourceStore {
    static func key(_ kind: ResourceKind, namespace: String?, name: String) throws -> ObjectKey {
        if kind.namespaced {
            return ObjectKey(resource: kind.plural, namespace: namespace ?? Names.defaultNamespace, name: name)
        }
        return ObjectKey(resource: kind.plural, namespace: "", name: name)
    }

    static func encode(_ object: JSONValue) -> Data {
        object.jsonData()
    }

    static func decode(_ data: Data, revision: Int64) throws -> JSONValue {
        withRevision(try JSONValue.parse(data), revision)
    }

    static func withRevision(_ object: JSONValue, _ revision: Int64) -> JSONValue {
        var object = object
        var metadata = object["metadata"]?.objectValue ?? [:]
        metadata["resourceVersion"] = .string(String(revision))
        object["metadata"] = .object(metadata)
        return object
    }

    static func stripRevision(_ object: JSONValue) -> JSONValue {
        var object = object
        var metadata = object["metadata"]?.objectValue ?? [:]
        metadata.removeValue(forKey: "resourceVersion")
        object["metadata"] = .object(metadata)
        return object
    }

    /// Parses a `resourceVersion` string; anything but a non-negative integer is a 400.
    public static func parseRevision(_ text: String) throws -> Int64 {
        guard let value = Int64(text), value >= 0 else {
            throw APIStatus.badRequest("invalid resourceVersion \"\(text)\": must be a non-negative integer")
        }
        return value
    }

    static func revision(of object: JSONValue) throws -> Int64 {
        try parseRevision(object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "0")
    }

    /// Metadata fields a client may set on update; the rest is owned by the server.
    static let clientMetadataFields = ["labels", "annotations", "finalizers", "ownerReferences", "managedFields"]

    /// Combines a stored object with a proposed one according to the subresource written.
    static func merge(_ kind: ResourceKind, current: JSONValue, proposed: JSONValue, subresource: Subresource) throws
        -> JSONValue
    {
        guard case .object(var result) = current, case .object(let incoming) = proposed else {
            throw APIStatus.badRequest("the object must be a JSON object")
        }
        switch subresource {
        case .status:
            result["status"] = incoming["status"]
            if incoming["status"] == nil { result.removeValue(forKey: "status") }
        case .main:
            var metadata = current["metadata"]?.objectValue ?? [:]
            let proposedMetadata = incoming["metadata"]?.objectValue ?? [:]
            for field in clientMetadataFields {
                if let value = proposedMetadata[field], value != .null, !isEmptyCollection(value) {
                    metadata[field] = value
                } else {
                    metadata.removeValue(forKey: field)
                }
            }
            var next: [String: JSONValue] = [:]
            for (field, value) in incoming where field != "metadata" && field != "status" {
                next[field] = value
            }
            next["apiVersion"] = .string(kind.apiVersion)
            next["kind"] = .string(kind.kind)
            let specChanged = contentWithoutMetadataAndStatus(current) != contentWithoutMetadataAndStatus(.object(next))
            if specChanged {
                metadata["generation"] = .int((metadata["generation"]?.intValue ?? 0) + 1)
            }
            next["metadata"] = .object(metadata)
            next["status"] = result["status"]
            if result["status"] == nil { next.removeValue(forKey: "status") }
            result = next
        }
        return .object(result)
    }

    private static func isEmptyCollection(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let elements): return elements.isEmpty
        case .object(let members): return members.isEmpty
        default: return false
        }
    }

    private static func contentWithoutMetadataAndStatus(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members.removeValue(forKey: "metadata")
        members.removeValue(forKey: "status")
        members.removeValue(forKey: "apiVersion")
        members.removeValue(forKey: "kind")
        return .object(members)
    }
}

/// The opaque `continue` token of a paged LIST: the last key returned and the revision of the first page.
struct ContinueToken: Codable {
    var resource: String
    var lastKey: String
    var revision: Int64

    init(resource: String, lastKey: String, revision: Int64) {
        self.resource = resource
        self.lastKey = lastKey
        self.revision = revision
    }

    init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded), let token = try? JSONDecoder().decode(ContinueToken.self, from: data)
        else { return nil }
        self = token
    }

    var encoded: String {
        ((try? JSONEncoder().encode(self)) ?? Data()).base64EncodedString()
    }
}

/// Background tasks owned by a store, cancelled together.
final class BackgroundTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []

    func add(_ task: Task<Void, Never>) {
        lock.withLock { tasks.append(task) }
    }

    func cancelAll() {
        let running = lock.withLock {
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
    }
}
