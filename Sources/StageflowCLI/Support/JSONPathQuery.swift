import StageflowAPI

/// The subset of kubectl's JSONPath that `wait --for=jsonpath=` needs: `{.status.phase}`,
/// `{.status.conditions[0].type}`, `{.metadata.labels['app.kubernetes.io/name']}`.
public struct JSONPathQuery: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Step: Sendable, Hashable {
        /// An object member.
        case member(String)
        /// An array element (negative counts from the end).
        case index(Int)
    }

    /// The steps from the root.
    public let steps: [Step]
    /// The expression as written.
    public let description: String

    /// Parses `{.a.b[0]['c.d']}` (the braces and the leading dot are optional).
    public init(parsing text: String) throws {
        description = text
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("{"), body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        func invalid(_ why: String) -> CLIError {
            CLIError("invalid JSONPath \"\(text)\": \(why)", exitCode: 2)
        }
        var steps: [Step] = []
        while !body.isEmpty {
            if body.hasPrefix(".") {
                body = body.dropFirst()
                let name = body.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw invalid("empty field name") }
                steps.append(.member(String(name)))
                body = body.dropFirst(name.count)
            } else if body.hasPrefix("[") {
                guard let close = body.firstIndex(of: "]") else { throw invalid("missing ]") }
                let inner = body[body.index(after: body.startIndex)..<close]
                body = body[body.index(after: close)...]
                if let quote = inner.first, quote == "'" || quote == "\"", inner.count >= 2, inner.last == quote {
                    steps.append(.member(String(inner.dropFirst().dropLast())))
                } else if let index = Int(inner) {
                    steps.append(.index(index))
                } else {
                    throw invalid("unsupported subscript [\(inner)]")
                }
            } else if steps.isEmpty {
                body = "." + body
            } else {
                throw invalid("unexpected \"\(body.prefix(1))\"")
            }
        }
        guard !steps.isEmpty else { throw invalid("it selects nothing") }
        self.steps = steps
    }

    /// The value the path selects, or `nil` when a step is missing.
    public func evaluate(_ value: JSONValue) -> JSONValue? {
        var current = value
        for step in steps {
            switch step {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let index):
                guard let elements = current.arrayValue else { return nil }
                let position = index < 0 ? elements.count + index : index
                guard elements.indices.contains(position) else { return nil }
                current = elements[position]
            }
        }
        return current
    }
}
