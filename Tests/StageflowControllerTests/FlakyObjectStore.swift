import Foundation
import StageflowObjectStore

/// An object store in front of another whose reads of some keys fail, as an S3 endpoint that refuses connections
/// for a while would: the test says how many reads of keys ending in what fail.
final class FlakyObjectStore: ObjectStore, @unchecked Sendable {
    private let inner: any ObjectStore
    private let lock = NSLock()
    private var failing: (suffix: String, remaining: Int)?
    private var failures = 0
    private var bucketMissing = false
    private var refusedWrites = 0

    init(_ inner: any ObjectStore) { self.inner = inner }

    /// The next `times` reads of keys ending in `suffix` fail with a transport error.
    func failReads(endingIn suffix: String, times: Int) { lock.withLock { failing = (suffix, times) } }

    /// Reads failed so far.
    var failedReads: Int { lock.withLock { failures } }

    /// While set, every write fails as S3 answers for a bucket that does not exist.
    func setBucketMissing(_ missing: Bool) { lock.withLock { bucketMissing = missing } }

    /// Writes refused so far because the bucket was missing.
    var refusedWriteCount: Int { lock.withLock { refusedWrites } }

    private func checkWrite(_ key: String) throws {
        let refuse: Bool = lock.withLock {
            if bucketMissing { refusedWrites += 1 }
            return bucketMissing
        }
        if refuse {
            throw ObjectStoreError(.service, store: "flaky store", key: key, message: "404 NoSuchBucket: The specified bucket does not exist")
        }
    }

    private func check(_ key: String) throws {
        let fail: Bool = lock.withLock {
            guard let current = failing, key.hasSuffix(current.suffix), current.remaining > 0 else { return false }
            failing = (current.suffix, current.remaining - 1)
            failures += 1
            return true
        }
        if fail { throw ObjectStoreError(.transport, store: "flaky store", key: key, message: "connection refused") }
    }

    func put(_ key: String, data: Data, contentType: String?) async throws {
        try checkWrite(key)
        try await inner.put(key, data: data, contentType: contentType)
    }
    func put<Chunks: AsyncSequence>(_ key: String, chunks: Chunks, contentType: String?) async throws where Chunks.Element == Data {
        try checkWrite(key)
        try await inner.put(key, chunks: chunks, contentType: contentType)
    }
    func get(_ key: String) async throws -> Data {
        try check(key)
        return try await inner.get(key)
    }
    func get(_ key: String, to destination: URL) async throws {
        try check(key)
        try await inner.get(key, to: destination)
    }
    func head(_ key: String) async throws -> ObjectInfo? {
        try check(key)
        return try await inner.head(key)
    }
    func list(prefix: String) async throws -> [ObjectInfo] { try await inner.list(prefix: prefix) }
    func delete(_ key: String) async throws { try await inner.delete(key) }
    func deletePrefix(_ prefix: String) async throws { try await inner.deletePrefix(prefix) }
    func presignedGetURL(_ key: String, expiresInSeconds: Int) async throws -> URL? {
        try await inner.presignedGetURL(key, expiresInSeconds: expiresInSeconds)
    }
}
