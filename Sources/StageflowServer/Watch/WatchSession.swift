import Foundation
import Hummingbird
import StageflowAPI
import StageflowStore

/// One running watch: writes the initial events, then every change (filtered by the selectors), BOOKMARKs
/// while idle when allowed, one JSON object per line, until the timeout, an error, or the client leaving.
struct WatchSession: Sendable {
    let kind: ResourceKind
    let watch: ResourceWatch
    let initial: [JSONValue]
    let filter: WatchFilter
    let allowBookmarks: Bool
    /// The revision of the initial list, announced by a bookmark when the client asked `sendInitialEvents`.
    let initialEventsEnd: Int64?
    let timeout: Duration
    let bookmarkInterval: Duration
    let encoder: WatchEventEncoder
    let metrics: APIMetrics

    /// Streams events to `writer` until the watch ends.
    func run(writer: inout any ResponseBodyWriter) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var filter = self.filter
        var encoder = self.encoder
        for object in initial {
            try await send(WatchEvent(type: .added, object: object), encoder: &encoder, writer: &writer)
        }
        if let revision = initialEventsEnd, allowBookmarks {
            try await send(bookmark(revision, initialEventsEnd: true), encoder: &encoder, writer: &writer)
        }
        var iterator = watch.makeAsyncIterator()
        var lastSent = clock.now
        while !Task.isCancelled {
            let now = clock.now
            if now >= deadline { break }
            var wait = now.duration(to: deadline)
            if allowBookmarks { wait = min(wait, max(.zero, now.duration(to: lastSent.advanced(by: bookmarkInterval)))) }
            let next: StoreEvent?
            do {
                next = try await iterator.next(waitingAtMost: wait)
            } catch let status as APIStatus {
                try await send(WatchEvent(type: .error, object: APIResponse.encode(status)), encoder: &encoder, writer: &writer)
                return
            } catch let error as StorageUnavailable {
                metrics.storeError(resource: kind.plural)
                let status = APIStatus.unavailable("storage is unavailable: \(error.description)")
                try await send(WatchEvent(type: .error, object: APIResponse.encode(status)), encoder: &encoder, writer: &writer)
                return
            }
            if let next {
                if let event = filter.translate(next) {
                    try await send(event, encoder: &encoder, writer: &writer)
                    lastSent = clock.now
                }
                continue
            }
            if allowBookmarks, clock.now >= lastSent.advanced(by: bookmarkInterval) {
                try await send(bookmark(iterator.cursor, initialEventsEnd: false), encoder: &encoder, writer: &writer)
                lastSent = clock.now
            }
        }
    }

    private func send(_ event: WatchEvent, encoder: inout WatchEventEncoder, writer: inout any ResponseBodyWriter)
        async throws
    {
        try await writer.write(encoder.encode(event))
        metrics.watchEventSent(resource: kind.plural)
    }

    /// A BOOKMARK: an object of the watched kind carrying only the revision the watch has reached.
    private func bookmark(_ revision: Int64, initialEventsEnd: Bool) -> WatchEvent {
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(revision))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        return WatchEvent(
            type: .bookmark,
            object: ["kind": .string(kind.kind), "apiVersion": .string(kind.apiVersion), "metadata": .object(metadata)])
    }
}
