import Foundation

/// A response whose head has arrived and whose body is still arriving.
public struct HTTPStreamingResponse: Sendable {
    /// The status code.
    public let status: Int
    /// The header fields.
    public let headers: HTTPHeaders
    /// The body in chunks as they arrive; it finishes when the server ends the response and throws
    /// `HTTPError` when the transfer breaks.
    public let body: AsyncThrowingStream<Data, any Error>
    private let transfer: CurlTransfer

    init(status: Int, headers: HTTPHeaders, body: AsyncThrowingStream<Data, any Error>, transfer: CurlTransfer) {
        self.status = status
        self.headers = headers
        self.body = body
        self.transfer = transfer
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body split into lines (`\n` or `\r\n`), as newline-delimited JSON streams such as watches send it.
    public var lines: HTTPLineSequence { HTTPLineSequence(body) }

    /// Aborts the transfer; the body then ends with `CancellationError`.
    public func cancel() {
        transfer.cancel()
    }

    /// Reads the rest of the body into memory, up to `limit` bytes (further bytes are dropped and the
    /// transfer aborted); meant for the short body of an error response.
    public func collect(upTo limit: Int = 1 << 20) async throws -> Data {
        var data = Data()
        for try await chunk in body {
            data.append(chunk.prefix(limit - data.count))
            if data.count >= limit {
                cancel()
                break
            }
        }
        return data
    }
}
