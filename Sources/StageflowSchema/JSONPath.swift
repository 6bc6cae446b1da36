import Foundation
import StageflowAPI

/// The simple JSONPath of CRD printer columns: `.status.phase`, `.spec.target.urls[0]`,
/// `.metadata.labels['app.kubernetes.io/name']`, optionally wrapped in `{}` and starting with `$`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Step: Sendable, Hashable {
        /// An object member.
        case member(String)
        /// An array element; negative indices count from the end.
        case index(Int)
    }

    /// The steps from the root.
    public let steps: [Step]
    /// The expression as written.
    public let description: String

    /// Parses an expression; throws for anything beyond members and indices (filters, wildcards, slices).
    public init(_ expression: String) throws {
        description = expression
        var text = Substring(expression.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("{"), text.hasSuffix("}") { text = text.dropFirst().dropLast() }
        if text.hasPrefix("$") { text = text.dropFirst() }
        var steps: [Step] = []
        while let first = text.first {
            if first == "." {
                text = text.dropFirst()
                let name = text.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty, name != "*" else { throw JSONPathError(expression, "expected a field name") }
                steps.append(.member(String(name)))
                text = text.dropFirst(name.count)
            } else if first == "[" {
                guard let close = text.firstIndex(of: "]") else { throw JSONPathError(expression, "missing ]") }
                let inner = text[text.index(after: text.startIndex)..<close]
                if let quote = inner.first, quote == "'" || quote == "\"", inner.count >= 2, inner.last == quote {
                    steps.append(.member(String(inner.dropFirst().dropLast())))
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else {
                    throw JSONPathError(expression, "unsupported subscript [\(inner)]")
                }
                text = text[text.index(after: close)...]
            } else {
                throw JSONPathError(expression, "unexpected \"\(first)\"")
            }
        }
        self.steps = steps
    }

    /// The value the path selects, or `nil` when any step is missing.
    public func evaluate(in value: JSONValue) -> JSONValue? {
        var current = value
        for step in steps {
            switch (step, current) {
            case (.member(let name), .object(let members)):
                guard let next = members[name] else { return nil }
                current = next
            case (.index(let index), .array(let elements)):
                let position = index < 0 ? elements.count + index : index
                guard elements.indices.contains(position) else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }
}

/// A JSONPath expression outside the supported subset.
public struct JSONPathError: Error, CustomStringConvertible, Sendable {
    /// The expression and what is wrong with it.
    public let description: String

    init(_ expression: String, _ problem: String) {
        description = "invalid JSONPath \"\(expression)\": \(problem)"
    }
}
