import StageflowAPI

/// A field path written the Kubernetes way: `spec.target.urls[3]`, `spec.severityMapping[low]`.
struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The rendered path; empty for the root.
    let description: String

    /// The root of an object.
    static let root = FieldPath(description: "")

    /// A member of an object.
    func child(_ name: String) -> FieldPath {
        FieldPath(description: description.isEmpty ? name : "\(description).\(name)")
    }

    /// An element of an array.
    func index(_ index: Int) -> FieldPath {
        FieldPath(description: "\(description)[\(index)]")
    }

    /// A key of a map (an object under `additionalProperties`).
    func key(_ key: String) -> FieldPath {
        FieldPath(description: "\(description)[\(key)]")
    }

    /// The path as validation messages print it; the root is `<root>`, as Kubernetes writes it.
    var messageName: String { description.isEmpty ? "<root>" : description }
}

/// Renders values inside messages the way Kubernetes' `field.Error` does: strings quoted, numbers and booleans
/// bare, anything else as compact JSON.
enum ValueText {
    /// `"text"`, `3`, `1.5`, `true`, `{"name":"axe"}`.
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return quote(text)
        case .int(let number): return String(number)
        case .double(let number): return render(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "\"null\""
        case .array, .object: return value.jsonString()
        }
    }

    /// A number as Go's `%v` prints a float64: integral values without a fraction.
    static func render(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    /// A string in double quotes with JSON escapes, like Go's `%q` for printable text.
    static func quote(_ text: String) -> String {
        JSONValue.string(text).jsonString()
    }
}
