import Foundation

/// The bytes of a file as a sequence of chunks, read as they are consumed, so that a large file can be streamed
/// into a store without being held in memory.
public struct FileChunks: AsyncSequence, Sendable {
    /// The element type: one chunk of the file.
    public typealias Element = Data

    /// 1 MiB.
    public static let defaultChunkSize = 1 << 20

    /// The file read.
    public let url: URL
    /// Bytes per chunk; the last chunk may be shorter.
    public let chunkSize: Int

    /// Chunks of the file at `url`; the file is opened when iteration starts.
    public init(url: URL, chunkSize: Int = FileChunks.defaultChunkSize) {
        self.url = url
        self.chunkSize = Swift.max(1, chunkSize)
    }

    /// An iterator that opens the file on its first call.
    public func makeAsyncIterator() -> Iterator {
        Iterator(url: url, chunkSize: chunkSize)
    }

    /// Reads the file chunk by chunk; throws `ObjectStoreError` of kind `.io` naming the file when it cannot be
    /// opened or read.
    public struct Iterator: AsyncIteratorProtocol {
        private let url: URL
        private let chunkSize: Int
        private var handle: FileHandle?
        private var finished = false

        init(url: URL, chunkSize: Int) {
            self.url = url
            self.chunkSize = chunkSize
        }

        /// The next chunk, or `nil` at the end of the file.
        public mutating func next() async throws -> Data? {
            guard !finished else { return nil }
            do {
                if handle == nil { handle = try FileHandle(forReadingFrom: url) }
                let chunk = try handle?.read(upToCount: chunkSize) ?? Data()
                if chunk.isEmpty {
                    finished = true
                    try handle?.close()
                    handle = nil
                    return nil
                }
                return chunk
            } catch {
                finished = true
                throw ObjectStoreError(
                    .io, store: "file \(url.path)", message: "cannot read the file: \(error.localizedDescription)")
            }
        }
    }
}
