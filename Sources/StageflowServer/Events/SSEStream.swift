import Foundation
import Hummingbird
import ServiceLifecycle
import StageflowAPI

/// Serves one client's event stream from the hub: the initial events (snapshot or replay), then whatever the
/// hub pushes, with a keepalive comment whenever nothing was sent for `keepaliveInterval`. The stream ends when
/// the client leaves, when it is evicted for not reading, or when the server shuts down.
struct SSEStream: Sendable {
    let hub: ScanJobEventHub
    let keepaliveInterval: Duration

    /// The response for `scope`; `Last-Event-ID` (a revision) asks for the changes after it.
    func response(_ request: Request, scope: ScanJobEventHub.Scope) async throws -> Response {
        let lastEventID = request.headers[HTTPFields.Element.Name("Last-Event-ID")!].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        if case .job(let uid) = scope, lastEventID == nil, await hub.object(uid: uid) == nil {
            throw APIStatus.notFound(.scanJob, uid)
        }
        let subscription = await hub.subscribe(scope: scope, lastEventID: lastEventID)
        let hub = self.hub
        let keepalive = keepaliveInterval
        let body = request.body
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[HTTPFields.Element.Name("X-Accel-Buffering")!] = "no"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer { hub.unsubscribe(subscription.id) }
                let ended = WatchShutdown()
                subscription.buffer.onClose { ended.trigger() }
                try await withGracefulShutdownHandler {
                    try await body.consumeWithCancellationOnInboundClose { _ in
                        try await ended.run {
                            try await writer.write(SSEEvent.retry(milliseconds: 1000))
                            for event in subscription.initial { try await writer.write(event.buffer) }
                            while !Task.isCancelled {
                                switch await subscription.buffer.next(waitingAtMost: keepalive) {
                                case .event(let event): try await writer.write(event.buffer)
                                case .idle: try await writer.write(SSEEvent.keepalive)
                                case .closed: return
                                }
                            }
                        }
                    }
                } onGracefulShutdown: {
                    ended.trigger()
                }
                try? await writer.finish(nil)
            })
    }
}
