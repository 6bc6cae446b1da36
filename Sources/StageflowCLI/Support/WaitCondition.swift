import StageflowAPI
import StageflowSchema

/// What `wait --for=…` waits for: `condition=Complete`, `condition=Failed=False`, `delete`, or
/// `jsonpath={.status.phase}=Done`.
public enum WaitCondition: Sendable, Hashable, CustomStringConvertible {
    /// A status condition of a type reaching a status (`True` unless given).
    case condition(type: String, status: String)
    /// The object being gone.
    case delete
    /// A JSONPath selecting a value equal to `value`, or selecting anything when `value` is `nil`.
    case jsonPath(JSONPath, value: String?)

    /// Parses the text of `--for`.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        if lowered == "delete" {
            self = .delete
        } else if lowered.hasPrefix("condition=") {
            let parts = text.dropFirst("condition=".count).split(separator: "=", maxSplits: 1).map(String.init)
            guard let type = parts.first, !type.isEmpty else {
                throw CLIError("--for=condition= needs a condition type, as in --for=condition=Complete", exitCode: 2)
            }
            self = .condition(type: type, status: parts.count > 1 ? parts[1] : "True")
        } else if lowered.hasPrefix("jsonpath=") {
            let expression = text.dropFirst("jsonpath=".count)
            if let close = expression.lastIndex(of: "}"), expression.hasPrefix("{") {
                let rest = expression[expression.index(after: close)...]
                let path = try Self.path(String(expression[...close]))
                if rest.isEmpty {
                    self = .jsonPath(path, value: nil)
                } else if rest.hasPrefix("=") {
                    self = .jsonPath(path, value: String(rest.dropFirst()))
                } else {
                    throw CLIError("--for=jsonpath: expected = after the expression, found \"\(rest)\"", exitCode: 2)
                }
            } else {
                let parts = expression.split(separator: "=", maxSplits: 1).map(String.init)
                guard let path = parts.first, !path.isEmpty else {
                    throw CLIError("--for=jsonpath= needs an expression, as in --for=jsonpath='{.status.phase}'=Done", exitCode: 2)
                }
                self = .jsonPath(try Self.path(path), value: parts.count > 1 ? parts[1] : nil)
            }
        } else {
            throw CLIError(
                "unrecognized condition \"\(text)\": use --for=condition=NAME[=STATUS], --for=delete or "
                    + "--for=jsonpath='{PATH}'=VALUE", exitCode: 2)
        }
    }

    /// Parses the JSONPath of `--for=jsonpath=` with the schema module's evaluator (the one printer columns
    /// use); like kubectl, the leading dot may be left out.
    private static func path(_ text: String) throws -> JSONPath {
        var expression = text.trimmingCharacters(in: .whitespaces)
        if expression.hasPrefix("{"), expression.hasSuffix("}") { expression = String(expression.dropFirst().dropLast()) }
        if let first = expression.first, first != "." && first != "[" && first != "$" { expression = "." + expression }
        let path: JSONPath
        do {
            path = try JSONPath(expression)
        } catch {
            throw CLIError("invalid JSONPath \"\(text)\": \(error)", exitCode: 2)
        }
        guard !path.steps.isEmpty else { throw CLIError("invalid JSONPath \"\(text)\": it selects nothing", exitCode: 2) }
        return path
    }

    /// Whether an object (`nil`: it does not exist) satisfies the condition. A condition computed for an older
    /// generation (`observedGeneration` below `metadata.generation`) does not count.
    public func isSatisfied(by object: JSONValue?) -> Bool {
        switch self {
        case .delete:
            return object == nil
        case .condition(let type, let status):
            guard let object, let conditions = object[path: ["status", "conditions"]]?.arrayValue else { return false }
            let generation = object[path: ["metadata", "generation"]]?.intValue
            return conditions.contains { condition in
                guard condition["type"]?.stringValue?.lowercased() == type.lowercased(),
                    condition["status"]?.stringValue?.lowercased() == status.lowercased()
                else { return false }
                if let observed = condition["observedGeneration"]?.intValue, let generation, observed < generation {
                    return false
                }
                return true
            }
        case .jsonPath(let path, let expected):
            guard let object, let value = path.evaluate(in: object) else { return false }
            guard let expected else { return !value.isNull }
            return Self.text(of: value) == expected
        }
    }

    private static func text(of value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .array, .object: return value.jsonString()
        }
    }

    /// As written: `condition=Complete`, `delete`, `jsonpath={.status.phase}=Done`.
    public var description: String {
        switch self {
        case .delete: return "delete"
        case .condition(let type, let status): return "condition=\(type)=\(status)"
        case .jsonPath(let path, let value): return "jsonpath=\(path)" + (value.map { "=\($0)" } ?? "")
        }
    }
}
