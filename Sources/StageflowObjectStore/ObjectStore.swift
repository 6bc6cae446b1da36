import Foundation

/// Where Stageflow keeps staged uploads, scan artifacts and reports: a flat namespace of keys (`/`-separated
/// relative paths, see `ObjectKeys`) mapped to byte objects. Implemented by a directory on disk
/// (`FilesystemObjectStore`, the embedded default), an S3-compatible bucket (`S3ObjectStore`) and memory
/// (`MemoryObjectStore`, for tests); one conformance suite holds them to the same contract.
///
/// Every method validates its key first and throws `ObjectStoreError` with kind `.invalidKey` for a key that
/// could escape its place (`..`, absolute, empty segments, NUL, backslashes), since keys are built partly from
/// user input. Writes replace an existing object atomically: readers see the old object or the new one, never
/// a part, and a write that fails leaves the old object (or none) in place.
public protocol ObjectStore: Sendable {
    /// Stores `data` under `key`, replacing any object there.
    func put(_ key: String, data: Data, contentType: String?) async throws

    /// Stores the bytes of `chunks`, in order, under `key`, replacing any object there. The chunks are streamed:
    /// the store holds at most a bounded buffer (one multipart part on S3), never the whole object. If the
    /// sequence throws, nothing is stored and the error is rethrown.
    func put<Chunks: AsyncSequence>(_ key: String, chunks: Chunks, contentType: String?) async throws
    where Chunks.Element == Data

    /// The whole object under `key`; throws `ObjectStoreError` with kind `.notFound` when there is none.
    func get(_ key: String) async throws -> Data

    /// Streams the object under `key` into the file at `destination`, replacing that file atomically (a failed
    /// download leaves no partial file); throws `.notFound` when there is no such object.
    func get(_ key: String, to destination: URL) async throws

    /// Size, entity tag, content type and modification time of the object under `key`, or `nil` when there is
    /// none.
    func head(_ key: String) async throws -> ObjectInfo?

    /// Every object whose key starts with `prefix` (a plain string prefix, as in S3: `a/b` matches `a/bc/d`),
    /// sorted by key; an empty prefix lists the whole store.
    func list(prefix: String) async throws -> [ObjectInfo]

    /// Removes the object under `key`; removing a missing object is not an error.
    func delete(_ key: String) async throws

    /// Removes every object whose key starts with `prefix`. An empty prefix is refused: wiping a whole store
    /// is never what a caller building a prefix from a job uid meant.
    func deletePrefix(_ prefix: String) async throws

    /// A URL from which anyone holding it can `GET` the object for `expiresInSeconds` without credentials, or
    /// `nil` when the store cannot issue such links (the filesystem and memory stores: the API server serves
    /// those objects itself and signs its own links). Does not check that the object exists.
    func presignedGetURL(_ key: String, expiresInSeconds: Int) async throws -> URL?
}

extension ObjectStore {
    /// Streams the file at `source` into the object under `key`, in chunks of `chunkSize` bytes.
    public func put(
        _ key: String, contentsOf source: URL, contentType: String?, chunkSize: Int = FileChunks.defaultChunkSize
    ) async throws {
        try await put(key, chunks: FileChunks(url: source, chunkSize: chunkSize), contentType: contentType)
    }

    /// Stores UTF-8 `text` under `key`.
    public func put(_ key: String, text: String, contentType: String? = "text/plain; charset=utf-8") async throws {
        try await put(key, data: Data(text.utf8), contentType: contentType)
    }

    /// Whether an object exists under `key`.
    public func exists(_ key: String) async throws -> Bool {
        try await head(key) != nil
    }
}
