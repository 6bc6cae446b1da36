import Foundation

/// A small HTTP client over libcurl, the one path for all outbound HTTP (the Stageflow API, the Podman socket,
/// S3, target sites). Transfers run on threads of their own, never on Swift's cooperative pool, and
/// cancelling the calling task aborts the transfer.
public struct HTTPClient: Sendable {
    /// Timeouts, transport and TLS settings.
    public var configuration: Configuration

    /// A client.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Performs a request and returns the whole response, whatever its status code.
    ///
    /// Throws `HTTPError` when no response arrived (connection refused, timeout, broken transfer) and
    /// `CancellationError` when the calling task was cancelled.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let accumulator = ResponseAccumulator()
        let completion = ResumeOnce<HTTPResponse>()
        let transfer = CurlTransfer(
            request: request, configuration: configuration, totalTimeout: request.timeout ?? configuration.timeout,
            callbacks: CurlTransfer.Callbacks(
                head: { accumulator.head = $0 },
                body: { accumulator.body.append($0) },
                complete: { result in
                    switch result {
                    case .success:
                        let head = accumulator.head ?? CurlTransfer.Head(status: 0, headers: [:])
                        completion.resume(
                            .success(HTTPResponse(status: head.status, headers: head.headers, body: accumulator.body)))
                    case .failure(let error):
                        completion.resume(.failure(error.kind == .cancelled ? CancellationError() : error))
                    }
                }))
        return try await withTaskCancellationHandler {
            try await completion.wait { transfer.start() }
        } onCancel: {
            transfer.cancel()
        }
    }

    /// Starts a request and returns as soon as the head of the response (status and headers) has arrived; the
    /// body follows as chunks, or lines, while the server sends it. The client's total `timeout` does not apply
    /// (watches are long-lived); a request's own `timeout` does.
    ///
    /// Cancelling the task that iterates the body, or calling `cancel()` on the response, aborts the transfer.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let headArrival = ResumeOnce<CurlTransfer.Head>()
        let transfer = CurlTransfer(
            request: request, configuration: configuration, totalTimeout: request.timeout,
            callbacks: CurlTransfer.Callbacks(
                head: { headArrival.resume(.success($0)) },
                body: { bodyContinuation.yield($0) },
                complete: { result in
                    switch result {
                    case .success:
                        bodyContinuation.finish()
                    case .failure(let error):
                        let thrown: any Error = error.kind == .cancelled ? CancellationError() : error
                        headArrival.resume(.failure(thrown))
                        bodyContinuation.finish(throwing: thrown)
                    }
                }))
        bodyContinuation.onTermination = { _ in transfer.cancel() }
        let head = try await withTaskCancellationHandler {
            try await headArrival.wait { transfer.start() }
        } onCancel: {
            transfer.cancel()
        }
        return HTTPStreamingResponse(status: head.status, headers: head.headers, body: body, transfer: transfer)
    }
}

/// The head and body of a response being received; written only on the transfer's thread, read after it
/// completes.
private final class ResponseAccumulator: @unchecked Sendable {
    var head: CurlTransfer.Head?
    var body = Data()
}
