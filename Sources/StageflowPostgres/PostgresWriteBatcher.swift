import Foundation
import StageflowStore

/// Sends this process's writes to `stageflow_write` one batch at a time: writes that arrive while a batch is in
/// flight go together in the next one. Every write is still its own compare-and-swap with its own revision, but a
/// batch costs one round trip and one commit (one WAL flush), and since writers serialise on the revision counter
/// anyway, batching is what lets throughput grow with concurrency.
final class PostgresWriteBatcher: @unchecked Sendable {
    /// What happened to one write.
    enum Outcome: Sendable {
        case written(revision: Int64)
        case alreadyExists
        case revisionMismatch(current: Int64?)
    }

    private struct Pending {
        var mutation: Mutation
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private let pool: PostgresConnectionPool
    private let maximumBatch: Int
    private let lock = NSLock()
    private var pending: [Pending] = []
    private var flushing = false

    init(pool: PostgresConnectionPool, maximumBatch: Int) {
        self.pool = pool
        self.maximumBatch = max(maximumBatch, 1)
    }

    /// Queues one write and returns once its batch committed (or failed).
    func write(_ mutation: Mutation) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let startFlushing = lock.withLock {
                pending.append(Pending(mutation: mutation, continuation: continuation))
                defer { flushing = true }
                return !flushing
            }
            if startFlushing {
                Task { await self.flush() }
            }
        }
    }

    /// Sends batches until nothing is pending.
    private func flush() async {
        while true {
            let batch: [Pending] = lock.withLock {
                let batch = Array(pending.prefix(maximumBatch))
                pending.removeFirst(batch.count)
                if batch.isEmpty { flushing = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                let outcomes = try await send(batch.map(\.mutation))
                for (item, outcome) in zip(batch, outcomes) { item.continuation.resume(returning: outcome) }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
    }

    private func send(_ mutations: [Mutation]) async throws -> [Outcome] {
        let values: [PostgresValue] = [
            .textArray(mutations.map(\.key.path)), .textArray(mutations.map(\.key.resource)),
            .textArray(mutations.map(\.key.namespace)), .int64Array(mutations.map(\.expectedRevision)),
            .byteaArray(mutations.map(\.value)), .byteaArray(mutations.map(\.deletedValue)),
        ]
        let what = mutations.count == 1 ? "writing \(mutations[0].key)" : "writing \(mutations.count) objects (\(mutations[0].key), …)"
        let rows = try await pool.withConnection { connection in
            var rows: [(index: Int64, status: Int64, revision: Int64?)] = []
            try connection.query(PostgresSchema.write, values, retryable: false, what: what) { row in
                rows.append((row.int64(0), row.int64(1), row.optionalInt64(2)))
            }
            return rows
        }
        var outcomes = [Outcome?](repeating: nil, count: mutations.count)
        for row in rows where row.index >= 1 && row.index <= Int64(mutations.count) {
            switch PostgresSchema.WriteStatus(rawValue: row.status) {
            case .written: outcomes[Int(row.index) - 1] = .written(revision: row.revision ?? 0)
            case .alreadyExists: outcomes[Int(row.index) - 1] = .alreadyExists
            case .revisionMismatch: outcomes[Int(row.index) - 1] = .revisionMismatch(current: row.revision)
            case nil: break
            }
        }
        return try outcomes.enumerated().map { index, outcome in
            guard let outcome else {
                throw StorageUnavailable("\(what) failed: stageflow_write returned no valid result for \(mutations[index].key)")
            }
            return outcome
        }
    }
}
