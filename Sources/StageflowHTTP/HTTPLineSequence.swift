import Foundation

/// The lines of a streamed body, decoded as UTF-8 without their line terminators; a last line without a
/// terminator is delivered when the body ends.
public struct HTTPLineSequence: AsyncSequence, Sendable {
    /// A line of text.
    public typealias Element = String

    private let chunks: AsyncThrowingStream<Data, any Error>

    /// The lines of a stream of chunks.
    public init(_ chunks: AsyncThrowingStream<Data, any Error>) {
        self.chunks = chunks
    }

    /// Starts reading lines.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: chunks.makeAsyncIterator())
    }

    /// Reads lines from the chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Data, any Error>.AsyncIterator
        var buffer: [UInt8] = []
        var searchFrom = 0
        var ended = false

        /// The next line, or `nil` at the end of the body.
        public mutating func next() async throws -> String? {
            while true {
                if let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                    var end = newline
                    if end > 0, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    let line = String(decoding: buffer[..<end], as: UTF8.self)
                    buffer.removeFirst(newline + 1)
                    searchFrom = 0
                    return line
                }
                searchFrom = buffer.count
                if ended {
                    guard !buffer.isEmpty else { return nil }
                    let line = String(decoding: buffer, as: UTF8.self)
                    buffer.removeAll()
                    searchFrom = 0
                    return line
                }
                if let chunk = try await base.next() {
                    buffer.append(contentsOf: chunk)
                } else {
                    ended = true
                }
            }
        }
    }
}
