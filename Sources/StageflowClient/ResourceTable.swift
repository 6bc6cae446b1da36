import StageflowAPI

/// The server's tabular rendering of objects (`kind: Table`, group `meta.k8s.io`), which `get` prints.
public struct ResourceTable: Codable, Sendable, Hashable {
    /// `meta.k8s.io/v1`.
    public var apiVersion: String?
    /// `Table`.
    public var kind: String?
    /// The revision the table was read at and the token of the next page.
    public var metadata: ListMeta?
    /// The columns, in order.
    public var columnDefinitions: [Column]
    /// One row per object.
    public var rows: [Row]

    /// One column of a table.
    public struct Column: Codable, Sendable, Hashable {
        /// Header text (`Name`, `Phase`, `Age`).
        public var name: String
        /// OpenAPI type of the cells: `string`, `integer`, `number`, `boolean`, `date`.
        public var type: String
        /// A format hint: `name` marks the object name column.
        public var format: String?
        /// What the column shows.
        public var description: String?
        /// 0 for the standard view; greater only with `-o wide`.
        public var priority: Int?

        /// A column.
        public init(name: String, type: String, format: String? = nil, description: String? = nil, priority: Int? = 0) {
            self.name = name
            self.type = type
            self.format = format
            self.description = description
            self.priority = priority
        }
    }

    /// One row: its cells, in column order, and the object (or its metadata) it shows.
    public struct Row: Codable, Sendable, Hashable {
        /// The cell values.
        public var cells: [JSONValue]
        /// The object, or only its metadata (`includeObject=Metadata`, the default).
        public var object: JSONValue?

        /// A row.
        public init(cells: [JSONValue], object: JSONValue? = nil) {
            self.cells = cells
            self.object = object
        }
    }

    /// A table.
    public init(columnDefinitions: [Column], rows: [Row], metadata: ListMeta? = nil) {
        self.apiVersion = "meta.k8s.io/v1"
        self.kind = "Table"
        self.metadata = metadata
        self.columnDefinitions = columnDefinitions
        self.rows = rows
    }

    /// The minimal table (Name, Age) of objects, for a server that answers with plain JSON.
    public static func minimal(of objects: [JSONValue], metadata: ListMeta? = nil) -> ResourceTable {
        ResourceTable(
            columnDefinitions: [
                Column(name: "Name", type: "string", format: "name", description: "Object name"),
                Column(name: "Age", type: "date", description: "Time since creation"),
            ],
            rows: objects.map { object in
                Row(
                    cells: [
                        object[path: ["metadata", "name"]] ?? .string(""),
                        object[path: ["metadata", "creationTimestamp"]] ?? .string(""),
                    ],
                    object: object)
            },
            metadata: metadata)
    }
}
