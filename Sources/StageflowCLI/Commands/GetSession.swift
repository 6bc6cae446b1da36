import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// One run of `get`: the listing, then the watch, sharing the table's columns and widths.
final class GetSession {
    let client: StageflowClient
    let kind: ResourceKind
    let names: [String]
    let namespace: String?
    let options: ListOptions
    let output: OutputFormat
    let showNamespace: Bool
    let headers: Bool
    let pageSize: Int

    private var renderer: TableRenderer?
    private var widths: [Int] = []
    private var printedHeader = false
    private var lastRows: [String: ResourceTable.Row] = [:]
    private var printedObjects = 0

    init(
        client: StageflowClient, kind: ResourceKind, names: [String], namespace: String?, options: ListOptions,
        output: OutputFormat, showNamespace: Bool, headers: Bool, pageSize: Int
    ) {
        self.client = client
        self.kind = kind
        self.names = names
        self.namespace = namespace
        self.options = options
        self.output = output
        self.showNamespace = showNamespace
        self.headers = headers
        self.pageSize = pageSize
    }

    /// Lists (unless watch-only) and watches (when asked); returns whether any named object failed.
    func run(list: Bool, watch: Bool) async throws -> Bool {
        var failed = false
        var revision: String?
        if output.isTable {
            let table = try await readTable()
            failed = table.failed
            revision = table.table.metadata?.resourceVersion
            renderer = TableRenderer(columns: table.table.columnDefinitions, wide: output == .wide, showNamespace: showNamespace)
            if list {
                if table.table.rows.isEmpty, names.isEmpty, !watch { Console.err(noResourcesMessage) }
                if !table.table.rows.isEmpty { printRows(table.table.rows) }
            }
            for row in table.table.rows { lastRows[key(of: row.object)] = row }
        } else if list || names.isEmpty {
            let objects = try await readObjects()
            failed = objects.failed
            revision = objects.revision
            if list {
                if objects.items.isEmpty, names.isEmpty, !watch, output != .json, output != .yaml {
                    Console.err(noResourcesMessage)
                } else if !(watch && objects.items.isEmpty) {
                    Console.out(ObjectPrinter.render(objects.items, kind: kind, format: output, single: names.count == 1))
                    printedObjects += objects.items.count
                }
            }
        }
        if watch { try await watchChanges(from: revision) }
        return failed
    }

    private var noResourcesMessage: String {
        if let namespace { return "No resources found in \(namespace) namespace." }
        return "No resources found"
    }

    private func key(of object: JSONValue?) -> String {
        let metadata = object?["metadata"]
        return "\(metadata?["namespace"]?.stringValue ?? "")/\(metadata?["name"]?.stringValue ?? "")"
    }

    private func readTable() async throws -> (table: ResourceTable, failed: Bool) {
        if names.isEmpty {
            return (try await client.tableAll(kind, namespace: namespace, options: options, pageSize: pageSize), false)
        }
        var combined: ResourceTable?
        var failed = false
        for name in names {
            do {
                let table = try await client.table(kind, namespace: namespace, name: name)
                if combined == nil { combined = table } else { combined?.rows += table.rows }
            } catch let status as APIStatus {
                Console.err(ErrorReport.serverMessage(status))
                failed = true
            }
        }
        return (combined ?? ResourceTable.minimal(of: []), failed)
    }

    private func readObjects() async throws -> (items: [JSONValue], revision: String?, failed: Bool) {
        if names.isEmpty {
            let list = try await client.listAll(kind, namespace: namespace, options: options, pageSize: pageSize)
            return (list.items, list.metadata.resourceVersion, false)
        }
        var items: [JSONValue] = []
        var failed = false
        for name in names {
            do {
                items.append(try await client.get(kind, name: name, namespace: namespace ?? Names.defaultNamespace))
            } catch let status as APIStatus {
                Console.err(ErrorReport.serverMessage(status))
                failed = true
            }
        }
        return (items, nil, failed)
    }

    private func printRows(_ rows: [ResourceTable.Row]) {
        guard let renderer else { return }
        var lines = rows.map(renderer.cells(of:))
        if headers, !printedHeader {
            lines.insert(renderer.header(), at: 0)
            printedHeader = true
        }
        for line in TableRenderer.align(lines, widths: &widths) { Console.out(line) }
    }

    private func watchChanges(from listedRevision: String?) async throws {
        var revision = listedRevision
        if revision == nil {
            revision = try await client.list(kind, namespace: namespace, options: ListOptions(limit: 1)).metadata.resourceVersion
        }
        var watchOptions = options
        if names.count == 1 { watchOptions.fieldSelector = FieldSelector(equal: [("metadata.name", names[0])]) }
        while true {
            watchOptions.resourceVersion = revision
            let events = try await client.watch(kind, namespace: namespace, options: watchOptions, asTable: output.isTable)
            for try await event in events {
                if let eventRevision = self.revision(of: event) { revision = eventRevision }
                if event.type == .bookmark { continue }
                try await show(event)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private func revision(of event: WatchEvent) -> String? {
        if event.object["kind"]?.stringValue == "Table" {
            return event.object["rows"]?.arrayValue?.last?[path: ["object", "metadata", "resourceVersion"]]?.stringValue
        }
        return event.object[path: ["metadata", "resourceVersion"]]?.stringValue
    }

    private func wanted(_ object: JSONValue?) -> Bool {
        guard !names.isEmpty else { return true }
        return names.contains(object?[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    private func show(_ event: WatchEvent) async throws {
        guard output.isTable else {
            guard wanted(event.object) else { return }
            switch output {
            case .yaml: Console.out("---\n" + ObjectPrinter.yaml(event.object).trimmingTrailingNewlines)
            case .json: Console.out(ObjectPrinter.json(event.object))
            default: Console.out(ObjectPrinter.name(event.object, kind: kind))
            }
            return
        }
        if event.object["kind"]?.stringValue == "Table", let table = try? event.object.decode(as: ResourceTable.self) {
            let rows = table.rows.filter { wanted($0.object) }
            for row in rows { lastRows[key(of: row.object)] = row }
            printRows(rows)
            return
        }
        guard wanted(event.object) else { return }
        let objectKey = key(of: event.object)
        var row = lastRows[objectKey]
        if event.type != .deleted, let name = event.object[path: ["metadata", "name"]]?.stringValue {
            let objectNamespace = event.object[path: ["metadata", "namespace"]]?.stringValue ?? namespace
            if let fresh = try? await client.table(kind, namespace: objectNamespace, name: name).rows.first {
                row = fresh
            }
        }
        let shown = row ?? placeholderRow(for: event.object)
        lastRows[objectKey] = event.type == .deleted ? nil : shown
        printRows([shown])
    }

    /// A row with only the name filled in, for an object whose server row cannot be read any more.
    private func placeholderRow(for object: JSONValue) -> ResourceTable.Row {
        let columns = renderer?.columns ?? []
        let nameIndex = columns.firstIndex { $0.format == "name" } ?? 0
        let cells: [JSONValue] = columns.indices.map { index in
            index == nameIndex ? (object[path: ["metadata", "name"]] ?? "") : ""
        }
        return ResourceTable.Row(cells: cells, object: object)
    }
}
