import Crypto
import Foundation

/// Objects in memory, for tests of the modules that use a store; it follows the same contract as the real
/// stores (key validation, atomic replacement, prefix listing, `notFound` errors), and its etag is the MD5 of
/// the content, as S3's is for a simple upload. `presignedGetURL` returns `nil`.
public final class MemoryObjectStore: ObjectStore, @unchecked Sendable {
    private struct Entry {
        var data: Data
        var contentType: String?
        var etag: String
        var lastModified: Date
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// An empty store.
    public init() {}

    /// `memory store`, as errors name this store.
    public var name: String { "memory store" }

    /// Stores a copy of `data`.
    public func put(_ key: String, data: Data, contentType: String?) async throws {
        try ObjectKeys.validate(key, store: name)
        store(key, data, contentType)
    }

    /// Collects the chunks, then stores them; nothing is stored if the sequence throws.
    public func put<Chunks: AsyncSequence>(_ key: String, chunks: Chunks, contentType: String?) async throws
    where Chunks.Element == Data {
        try ObjectKeys.validate(key, store: name)
        var data = Data()
        for try await chunk in chunks {
            try Task.checkCancellation()
            data.append(chunk)
        }
        store(key, data, contentType)
    }

    /// A copy of the object.
    public func get(_ key: String) async throws -> Data {
        try ObjectKeys.validate(key, store: name)
        guard let entry = lock.withLock({ entries[key] }) else {
            throw ObjectStoreError(.notFound, store: name, key: key, message: "no such object")
        }
        return entry.data
    }

    /// Writes the object to `destination`, atomically.
    public func get(_ key: String, to destination: URL) async throws {
        let data = try await get(key)
        do {
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: destination, options: .atomic)
        } catch {
            throw ObjectStoreError(
                .io, store: name, key: key, message: "cannot write \(destination.path): \(error.localizedDescription)")
        }
    }

    /// What the store recorded at the last write of `key`.
    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKeys.validate(key, store: name)
        return lock.withLock { entries[key].map { Self.info(key, $0) } }
    }

    /// Every object whose key starts with `prefix`, sorted by the UTF-8 bytes of the key.
    public func list(prefix: String) async throws -> [ObjectInfo] {
        try ObjectKeys.validate(prefix: prefix, store: name)
        return lock.withLock {
            entries.filter { $0.key.hasPrefix(prefix) }.map { Self.info($0.key, $0.value) }
        }.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Forgets `key`.
    public func delete(_ key: String) async throws {
        try ObjectKeys.validate(key, store: name)
        _ = lock.withLock { entries.removeValue(forKey: key) }
    }

    /// Forgets every key that starts with `prefix`; an empty prefix is refused.
    public func deletePrefix(_ prefix: String) async throws {
        try ObjectKeys.validate(prefix: prefix, store: name)
        guard !prefix.isEmpty else {
            throw ObjectStoreError(
                .invalidKey, store: name, key: prefix, message: "refusing to delete with an empty prefix (every object)")
        }
        lock.withLock { entries = entries.filter { !$0.key.hasPrefix(prefix) } }
    }

    /// Always `nil`: memory objects have no URL.
    public func presignedGetURL(_ key: String, expiresInSeconds: Int) async throws -> URL? {
        try ObjectKeys.validate(key, store: name)
        return nil
    }

    private func store(_ key: String, _ data: Data, _ contentType: String?) {
        let etag = Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let entry = Entry(data: data, contentType: contentType, etag: etag, lastModified: Date())
        lock.withLock { entries[key] = entry }
    }

    private static func info(_ key: String, _ entry: Entry) -> ObjectInfo {
        ObjectInfo(
            key: key, size: Int64(entry.data.count), etag: entry.etag, contentType: entry.contentType,
            lastModified: entry.lastModified)
    }
}
