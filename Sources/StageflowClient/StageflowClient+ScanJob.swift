import Foundation
import StageflowAPI

extension StageflowClient {
    /// Reads one ScanJob.
    public func scanJob(named name: String, namespace: String = Names.defaultNamespace) async throws -> ScanJob {
        try decode(try await get(.scanJob, name: name, namespace: namespace), as: ScanJob.self)
    }

    /// Reads every ScanJob in a namespace (`nil`: all namespaces), optionally filtered by labels.
    public func scanJobs(namespace: String?, labelSelector: String? = nil) async throws -> [ScanJob] {
        let list = try await listAll(.scanJob, namespace: namespace, options: ListOptions(labelSelector: try labelSelector.map { try LabelSelector(parsing: $0) }))
        return try list.items.map { try decode($0, as: ScanJob.self) }
    }

    /// Creates a ScanJob; returns it as stored (with uid, resourceVersion, defaults).
    public func create(_ job: ScanJob, options: WriteOptions = WriteOptions()) async throws -> ScanJob {
        try decode(try await create(try JSONValue(encoding: job), options: options), as: ScanJob.self)
    }

    /// Applies a ScanJob with server-side apply.
    public func apply(_ job: ScanJob, options: WriteOptions = .apply()) async throws -> ScanJob {
        try decode(try await apply(try JSONValue(encoding: job), options: options), as: ScanJob.self)
    }

    /// Writes a ScanJob's status through `/status`.
    public func updateStatus(_ job: ScanJob, options: WriteOptions = WriteOptions()) async throws -> ScanJob {
        try decode(try await updateStatus(try JSONValue(encoding: job), options: options), as: ScanJob.self)
    }

    /// Decodes an object the server returned into a typed resource.
    public func decode<T: Decodable>(_ object: JSONValue, as type: T.Type) throws -> T {
        do {
            return try object.decode(as: type)
        } catch {
            let name = object[path: ["metadata", "name"]]?.stringValue ?? "?"
            throw StageflowClientError.malformed(
                "reading \(T.self) \"\(name)\"", "the object does not decode: \(error)", server: server)
        }
    }
}
