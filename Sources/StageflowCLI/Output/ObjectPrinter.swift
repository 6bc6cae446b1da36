import StageflowAPI

/// Objects as YAML, JSON or names, as `get -o yaml|json|name` prints them.
public enum ObjectPrinter {
    /// One object as it is, several wrapped in a `kind: List`, like kubectl.
    public static func wrap(_ objects: [JSONValue], single: Bool) -> JSONValue {
        if single, objects.count == 1 { return objects[0] }
        return [
            "apiVersion": "v1", "kind": "List", "metadata": ["resourceVersion": ""], "items": .array(objects),
        ]
    }

    /// YAML text of a value.
    public static func yaml(_ value: JSONValue) -> String {
        YAMLConversion.yaml(value)
    }

    /// Indented JSON text of a value, keys sorted.
    public static func json(_ value: JSONValue) -> String {
        JSONText.pretty(value)
    }

    /// `scanjob.stageflow.dev/NAME`.
    public static func name(_ object: JSONValue, kind: ResourceKind) -> String {
        "\(kind.displayName)/\(object[path: ["metadata", "name"]]?.stringValue ?? "")"
    }

    /// Text of objects in a format other than a table.
    public static func render(_ objects: [JSONValue], kind: ResourceKind, format: OutputFormat, single: Bool) -> String {
        switch format {
        case .yaml: return yaml(wrap(objects, single: single)).trimmingTrailingNewlines
        case .json: return json(wrap(objects, single: single))
        case .name, .table, .wide: return objects.map { name($0, kind: kind) }.joined(separator: "\n")
        }
    }
}

extension String {
    /// The string without trailing newlines.
    var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
