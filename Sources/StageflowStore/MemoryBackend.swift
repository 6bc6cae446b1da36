import Foundation

/// A backend that keeps everything in memory: for unit tests and throwaway runs. Same contract as the
/// database backends, checked by the same conformance suite.
public actor MemoryBackend: StorageBackend {
    private var objects: [ObjectKey: StoredRecord] = [:]
    private var log: [ChangeEvent] = []
    private var revision: Int64 = 0
    private var compacted: Int64 = 0
    private nonisolated let signals = SignalBroadcaster()

    /// An empty store.
    public init() {}

    public func prepare() async throws {}

    public func currentRevision() async throws -> Int64 { revision }

    public func compactedRevision() async throws -> Int64 { compacted }

    public func get(_ key: ObjectKey) async throws -> StoredRecord? { objects[key] }

    public func list(resource: String, namespace: String?, after: ObjectKey?, limit: Int?) async throws
        -> (records: [StoredRecord], revision: Int64)
    {
        let matching = objects.values
            .filter { record in
                record.key.resource == resource && (namespace == nil || record.key.namespace == namespace)
                    && (after == nil || record.key.path > after!.path)
            }
            .sorted { $0.key.path < $1.key.path }
        return (Array(matching.prefix(limit ?? Int.max)), revision)
    }

    public func write(_ mutation: Mutation) async throws -> Int64 {
        let current = objects[mutation.key]
        let type: ChangeKind
        switch (mutation.expectedRevision, current) {
        case (nil, nil): type = .added
        case (nil, .some): throw StorageConflict.alreadyExists(mutation.key)
        case (.some(let expected), .some(let existing)) where expected == existing.revision:
            type = mutation.value == nil ? .deleted : .modified
        case (.some, let existing): throw StorageConflict.revisionMismatch(mutation.key, current: existing?.revision)
        }
        revision += 1
        if let value = mutation.value {
            objects[mutation.key] = StoredRecord(key: mutation.key, revision: revision, value: value)
            log.append(ChangeEvent(revision: revision, kind: type, key: mutation.key, value: value))
        } else {
            objects.removeValue(forKey: mutation.key)
            log.append(
                ChangeEvent(revision: revision, kind: type, key: mutation.key, value: mutation.deletedValue ?? current?.value ?? Data()))
        }
        signals.signal()
        return revision
    }

    public func events(after revision: Int64, limit: Int) async throws -> [ChangeEvent] {
        Array(log.lazy.filter { $0.revision > revision }.prefix(limit))
    }

    public func compact(through target: Int64) async throws {
        let bound = min(target, revision - 1)
        guard bound > compacted else { return }
        log.removeAll { $0.revision <= bound }
        compacted = bound
    }

    public nonisolated func changeSignals() -> AsyncStream<Void> { signals.subscribe() }

    public func close() async { signals.finish() }
}
