import Foundation
import StageflowAPI

extension StageflowClient {
    /// Reads one object. `namespace` is ignored for cluster-scoped kinds.
    public func get(_ kind: ResourceKind, name: String, namespace: String = Names.defaultNamespace) async throws
        -> JSONValue
    {
        try await perform(request("GET", url(kind, namespace: namespace, name: name)))
    }

    /// Reads one page of objects of a kind; `namespace` `nil` lists every namespace.
    public func list(_ kind: ResourceKind, namespace: String?, options: ListOptions = ListOptions()) async throws
        -> ResourceList
    {
        let target = url(kind, namespace: namespace, query: options.queryItems)
        let json = try await perform(request("GET", target))
        do {
            return try ResourceList(json: json)
        } catch {
            throw StageflowClientError.malformed("GET \(target.absoluteString)", "\(error)", server: server)
        }
    }

    /// Reads every object of a kind, following `continue` tokens page by page; the result carries the
    /// `resourceVersion` of the last page, from which a watch misses nothing.
    public func listAll(
        _ kind: ResourceKind, namespace: String?, options: ListOptions = ListOptions(), pageSize: Int = 500
    ) async throws -> ResourceList {
        var pageOptions = options
        pageOptions.limit = pageSize
        var result = try await list(kind, namespace: namespace, options: pageOptions)
        while let token = result.metadata.continue, !token.isEmpty {
            pageOptions.continueToken = token
            let page = try await list(kind, namespace: namespace, options: pageOptions)
            result.items += page.items
            result.metadata = page.metadata
        }
        return result
    }

    /// The server's Table rendering of one object (`name`) or of a page of objects, as `get` prints it.
    /// A server that answers with plain JSON gets the minimal Name/Age table.
    public func table(
        _ kind: ResourceKind, namespace: String?, name: String? = nil, options: ListOptions = ListOptions()
    ) async throws -> ResourceTable {
        let target = url(
            kind, namespace: name == nil ? namespace : namespace ?? Names.defaultNamespace, name: name,
            query: name == nil ? options.queryItems : [])
        let json = try await perform(request("GET", target, accept: Self.tableMediaType))
        do {
            return try Self.table(from: json)
        } catch {
            throw StageflowClientError.malformed("GET \(target.absoluteString)", "\(error)", server: server)
        }
    }

    /// Reads every row of a table, following `continue` tokens page by page.
    public func tableAll(
        _ kind: ResourceKind, namespace: String?, options: ListOptions = ListOptions(), pageSize: Int = 500
    ) async throws -> ResourceTable {
        var pageOptions = options
        pageOptions.limit = pageSize
        var result = try await table(kind, namespace: namespace, options: pageOptions)
        while let token = result.metadata?.continue, !token.isEmpty {
            pageOptions.continueToken = token
            let page = try await table(kind, namespace: namespace, options: pageOptions)
            result.rows += page.rows
            result.metadata = page.metadata
        }
        return result
    }

    /// A table from a response: a `Table` as it is, a list or a single object as the minimal table.
    public static func table(from json: JSONValue) throws -> ResourceTable {
        if json["kind"]?.stringValue == "Table" {
            return try json.decode(as: ResourceTable.self)
        }
        if json["items"] != nil {
            let list = try ResourceList(json: json)
            return ResourceTable.minimal(of: list.items, metadata: list.metadata)
        }
        return ResourceTable.minimal(of: [json])
    }
}
