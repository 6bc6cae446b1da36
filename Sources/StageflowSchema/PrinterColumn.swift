import StageflowAPI

/// A column of `kubectl get` output, from a CRD's `additionalPrinterColumns`; the server turns these into the
/// `columnDefinitions` and cells of a `meta.k8s.io/v1` Table (after a leading `Name` column).
public struct PrinterColumn: Sendable, Hashable {
    /// Column header, such as `Phase` or `Last Schedule`.
    public var name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    public var type: String
    /// An OpenAPI format refining the type, if any.
    public var format: String?
    /// What the column shows.
    public var description: String?
    /// Where the value comes from, such as `.status.phase`.
    public var jsonPath: JSONPath
    /// 0 for the default view; higher priorities only appear with `-o wide`.
    public var priority: Int

    /// A column.
    public init(
        name: String, type: String, format: String? = nil, description: String? = nil, jsonPath: JSONPath,
        priority: Int = 0
    ) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.jsonPath = jsonPath
        self.priority = priority
    }

    /// The cell value of this column for an object; `nil` when the field is absent (an empty cell).
    public func value(in object: JSONValue) -> JSONValue? {
        jsonPath.evaluate(in: object)
    }

    /// The column as a Table's `columnDefinitions` entry: `{name, type, format, description, priority}`.
    public var tableColumnDefinition: JSONValue {
        [
            "name": .string(name), "type": .string(type), "format": .string(format ?? ""),
            "description": .string(description ?? ""), "priority": .int(Int64(priority)),
        ]
    }
}

extension PrinterColumn {
    /// Reads one `additionalPrinterColumns` entry of a CRD version.
    init(crdColumn column: JSONValue) throws {
        guard let name = column["name"]?.stringValue, let type = column["type"]?.stringValue,
            let path = column["jsonPath"]?.stringValue
        else { throw SchemaError("printer column \(column.jsonString()) needs name, type and jsonPath") }
        self.init(
            name: name, type: type, format: column["format"]?.stringValue,
            description: column["description"]?.stringValue, jsonPath: try JSONPath(path),
            priority: Int(column["priority"]?.intValue ?? 0))
    }
}
