import StageflowAPI

extension ResourceStore {
    /// Every object of a kind (in one namespace or all) matching `options`' selectors, read page by page, with the
    /// revision of the first page: a watch from it misses nothing. For clients inside the server's process.
    public func listAll(_ kind: ResourceKind, namespace: String?, options: ListOptions = ListOptions()) async throws
        -> (items: [JSONValue], revision: Int64)
    {
        var options = options
        options.limit = 500
        options.continueToken = nil
        var items: [JSONValue] = []
        var revision: Int64?
        repeat {
            let page = try await list(kind, namespace: namespace, options: options)
            items += page.items
            revision = revision ?? page.resourceVersion
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        return (items, revision ?? 0)
    }

    /// A watch from `options.resourceVersion` as the controllers' client protocol gives it: field selectors filter
    /// events (the fields they may name never change); a label selector is refused, since an object moving in or
    /// out of it needs the API server's ADDED/DELETED translation.
    public func selectedWatch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        guard options.labelSelector == nil else {
            throw APIStatus.badRequest("an in-process client does not watch with a label selector; list with it instead")
        }
        let from = try options.resourceVersion.map { try ResourceStore.parseRevision($0) }
        let watch = try await self.watch(kind, namespace: namespace, from: from)
        let fields = options.fieldSelector
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in watch where fields?.matches(event.object) ?? true {
                        continuation.yield(WatchEvent(type: event.type, object: event.object))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
