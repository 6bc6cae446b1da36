import Foundation

/// What the store knows of its own health without asking the database again: when a call to the backend last
/// succeeded and failed, and how the last write ended. `/readyz` reads it, so readiness is truthful under load
/// (it does not queue behind writes) and while the database hangs (calls fail on their deadline) or the disk is
/// full (writes fail while reads succeed).
public final class StoreHealth: @unchecked Sendable {
    private let lock = NSLock()
    private var lastSuccess: ContinuousClock.Instant?
    private var lastFailure: (at: ContinuousClock.Instant, message: String)?
    private var lastWriteFailure: (at: ContinuousClock.Instant, message: String)?
    private var lastWriteSuccess: ContinuousClock.Instant?

    /// A health record with nothing observed yet.
    public init() {}

    func succeeded(write: Bool, at now: ContinuousClock.Instant = .now) {
        lock.withLock {
            lastSuccess = now
            if write { lastWriteSuccess = now }
        }
    }

    func failed(_ message: String, write: Bool, at now: ContinuousClock.Instant = .now) {
        lock.withLock {
            lastFailure = (now, message)
            if write { lastWriteFailure = (now, message) }
        }
    }

    /// `nil` when the store is ready; otherwise why not: the last backend call failed and none has succeeded
    /// since (the watch poller calls it every second, so a recovered store is ready again within a second), no
    /// call has succeeded within `window`, or the last write failed and no write has succeeded since (a full disk
    /// fails writes while reads still succeed).
    public func unreadyReason(window: Duration = .seconds(5), now: ContinuousClock.Instant = .now) -> String? {
        lock.withLock {
            if let failure = lastWriteFailure, lastWriteSuccess.map({ $0 < failure.at }) ?? true {
                return "the last write failed: \(failure.message)"
            }
            guard let success = lastSuccess else { return "the store has not answered yet" }
            if let failure = lastFailure, failure.at > success {
                return "the last call to the store failed: \(failure.message)"
            }
            if now - success > window {
                return "the store has not answered for \(Int((now - success).components.seconds)) s"
                    + (lastFailure.map { ": \($0.message)" } ?? "")
            }
            return nil
        }
    }
}

/// A backend that reports every call's outcome to a `StoreHealth`.
struct HealthRecordingBackend: StorageBackend {
    let base: any StorageBackend
    let health: StoreHealth

    private func recording<T>(write: Bool = false, _ call: () async throws -> T) async throws -> T {
        do {
            let value = try await call()
            health.succeeded(write: write)
            return value
        } catch let conflict as StorageConflict {
            // A lost compare-and-swap is an answer from a healthy store.
            health.succeeded(write: write)
            throw conflict
        } catch {
            health.failed("\(error)", write: write)
            throw error
        }
    }

    func prepare() async throws { try await recording { try await base.prepare() } }
    func currentRevision() async throws -> Int64 { try await recording { try await base.currentRevision() } }
    func compactedRevision() async throws -> Int64 { try await recording { try await base.compactedRevision() } }
    func get(_ key: ObjectKey) async throws -> StoredRecord? { try await recording { try await base.get(key) } }

    func list(resource: String, namespace: String?, after: ObjectKey?, limit: Int?) async throws
        -> (records: [StoredRecord], revision: Int64)
    {
        try await recording { try await base.list(resource: resource, namespace: namespace, after: after, limit: limit) }
    }

    func write(_ mutation: Mutation) async throws -> Int64 { try await recording(write: true) { try await base.write(mutation) } }
    func events(after revision: Int64, limit: Int) async throws -> [ChangeEvent] {
        try await recording { try await base.events(after: revision, limit: limit) }
    }
    func compact(through revision: Int64) async throws { try await recording { try await base.compact(through: revision) } }
    func changeSignals() -> AsyncStream<Void> { base.changeSignals() }
    func close() async { await base.close() }
}
