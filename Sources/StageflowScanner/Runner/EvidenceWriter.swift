import Foundation
import StageflowObjectStore

/// Stores a scanner's evidence (raw headers, link tables, screenshots) under
/// `artifacts/<job-uid>/<scanner>/evidence/`, before the runner writes `results.json`, so that a report never
/// refers to evidence that is not there yet.
public struct EvidenceWriter: Sendable {
    /// `artifacts/<job-uid>/<scanner>/evidence/`.
    public let prefix: String
    private let store: any ObjectStore

    /// A writer for one scanner of one job.
    public init(store: any ObjectStore, jobUID: String, scanner: String) throws {
        self.store = store
        self.prefix = try ObjectKeys.scannerPrefix(jobUID: jobUID, scanner: scanner) + "evidence/"
    }

    /// Stores `data` as `evidence/<name>` (`name` may contain `/`); returns the object key.
    @discardableResult
    public func write(_ name: String, data: Data, contentType: String?) async throws -> String {
        let key = prefix + name
        try ObjectKeys.validate(key)
        try await store.put(key, data: data, contentType: contentType)
        return key
    }

    /// Stores a value as pretty-printed JSON; returns the object key.
    @discardableResult
    public func writeJSON<Value: Encodable>(_ name: String, _ value: Value) async throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try await write(name, data: try encoder.encode(value), contentType: "application/json")
    }
}
