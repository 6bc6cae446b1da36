import Foundation
import StageflowAPI
import StageflowHTTP

extension StageflowClient {
    /// Watches a kind: one `WatchEvent` per change after `options.resourceVersion` (pass the list's revision to
    /// miss nothing), in order, until the server ends the stream or the consuming task is cancelled.
    ///
    /// A refused watch (an expired revision, say) throws `APIStatus` here; an `ERROR` event ends the stream
    /// with the `APIStatus` it carries. With `asTable`, the server may send each object as a one-row Table.
    public func watch(
        _ kind: ResourceKind, namespace: String?, options: ListOptions = ListOptions(), asTable: Bool = false
    ) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let target = url(kind, namespace: namespace, query: [("watch", "true")] + options.queryItems)
        let watchRequest = request("GET", target, accept: asTable ? Self.tableMediaType : "application/json")
        let response: HTTPStreamingResponse
        do {
            response = try await http.stream(watchRequest)
        } catch let error as HTTPError {
            throw StageflowClientError.transport(error, server: server)
        }
        guard response.isSuccess else {
            let body = try await response.collect()
            throw APIStatus(response: body, httpStatus: response.status)
        }
        let server = self.server
        return AsyncThrowingStream { continuation in
            let pump = Task {
                do {
                    for try await line in response.lines {
                        let trimmed = line.trimmingCharacters(in: .whitespaces)
                        if trimmed.isEmpty { continue }
                        let event: WatchEvent
                        do {
                            event = try JSONDecoder().decode(WatchEvent.self, from: Data(trimmed.utf8))
                        } catch {
                            throw StageflowClientError.malformed(
                                watchRequest.summary, "a watch event is not valid: \(trimmed.prefix(200))",
                                server: server)
                        }
                        if event.type == .error {
                            throw APIStatus(watchError: event.object)
                        }
                        continuation.yield(event)
                    }
                    continuation.finish()
                } catch let error as HTTPError {
                    continuation.finish(throwing: StageflowClientError.transport(error, server: server))
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in
                pump.cancel()
                response.cancel()
            }
        }
    }
}
