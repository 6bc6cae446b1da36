import Foundation
import Hummingbird
import ServiceLifecycle
import StageflowAPI
import StageflowStore

extension ResourceHandler {
    /// GET with `watch=true`: a chunked stream of watch events.
    ///
    /// `resourceVersion` unset or `0` starts with an ADDED event per existing object; a revision streams every
    /// later change, or one ERROR event (410 Expired, with HTTP 200 as kube-apiserver does) when it was
    /// compacted away. `sendInitialEvents=true` ends the initial events with a bookmark annotated
    /// `k8s.io/initial-events-end`, as client-go's watch-list expects.
    func watch(_ request: Request, kind: ResourceKind, namespace: String?, query: QueryParameters) async throws
        -> Response
    {
        let shape = try responseShape(request)
        let options = try listOptions(query, kind: kind)
        let tables: TableConverter?
        if case .table(let version) = shape {
            tables = TableConverter(kind: kind, schemas: schemas, version: version, includeObject: try .init(query: query))
        } else {
            tables = nil
        }
        let allowBookmarks = try query.bool("allowWatchBookmarks")
        let sendInitialEvents: Bool? = query["sendInitialEvents"] == nil ? nil : try query.bool("sendInitialEvents")
        let versionText = query["resourceVersion"] ?? ""
        let from = versionText.isEmpty || versionText == "0" ? nil : try ResourceStore.parseRevision(versionText)
        let timeout: Duration
        if let seconds = try query.integer("timeoutSeconds"), seconds > 0 {
            timeout = min(.seconds(seconds), configuration.maxWatchTimeout)
        } else {
            timeout = configuration.defaultWatchTimeout
        }

        var filter = WatchFilter(options: options)
        var initial: [JSONValue] = []
        var initialEventsEnd: Int64?
        let resourceWatch: ResourceWatch
        do {
            let wantsInitial = sendInitialEvents ?? (from == nil)
            var start = from ?? 0
            if wantsInitial || from == nil || filter.tracksVisibility {
                let (objects, revision) = try await listAll(kind, namespace: namespace, options: options)
                if wantsInitial {
                    initial = objects
                    start = revision
                    if sendInitialEvents == true { initialEventsEnd = revision }
                } else if from == nil {
                    start = revision
                }
                // With a label selector, what the client sees decides between MODIFIED, ADDED and DELETED.
                for object in objects { filter.markVisible(object) }
            }
            resourceWatch = try await store.watch(kind, namespace: namespace, from: start)
        } catch let status as APIStatus where status.code == 410 {
            var encoder = WatchEventEncoder(shape: shape, tables: tables)
            let line = encoder.encode(WatchEvent(type: .error, object: APIResponse.encode(status)))
            return Response(
                status: .ok, headers: [.contentType: APIResponse.jsonContentType],
                body: ResponseBody { writer in
                    try await writer.write(line)
                    try await writer.finish(nil)
                })
        }

        let session = WatchSession(
            kind: kind, watch: resourceWatch, initial: initial, filter: filter, allowBookmarks: allowBookmarks,
            initialEventsEnd: initialEventsEnd, timeout: timeout, bookmarkInterval: configuration.bookmarkInterval,
            encoder: WatchEventEncoder(shape: shape, tables: tables), metrics: metrics)
        let metrics = self.metrics
        let body = request.body
        return Response(
            status: .ok, headers: [.contentType: APIResponse.jsonContentType],
            body: ResponseBody { writer in
                metrics.watchStarted(resource: kind.plural)
                defer { metrics.watchEnded(resource: kind.plural) }
                // The watch ends when the client disconnects (not only at its next write) and as soon as the
                // server begins graceful shutdown, which would otherwise wait for the watch to time out.
                let shutdown = WatchShutdown()
                try await withGracefulShutdownHandler {
                    try await body.consumeWithCancellationOnInboundClose { _ in
                        try await shutdown.run {
                            try await session.run(writer: &writer)
                        }
                    }
                } onGracefulShutdown: {
                    shutdown.trigger()
                }
                try await writer.finish(nil)
            })
    }

    /// Every object matching `options`, read page by page, with the revision of the first page.
    private func listAll(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> (objects: [JSONValue], revision: Int64)
    {
        var options = options
        options.limit = nil
        var objects: [JSONValue] = []
        var revision: Int64?
        repeat {
            let page = try await store.list(kind, namespace: namespace, options: options)
            objects.append(contentsOf: page.items)
            revision = revision ?? page.resourceVersion
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        return (objects, revision ?? 0)
    }
}
