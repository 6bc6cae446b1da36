import Foundation
import StageflowAPI
import Yams

extension JSONValue {
    /// Parses one YAML document (JSON is YAML too), keeping integers apart from floating-point numbers so that
    /// `maxPages: 10` stays an `integer` for the schema. An empty document is `null`.
    public static func parseYAML(_ text: String) throws -> JSONValue {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        let budget = YAMLBudget(text: text)
        return try JSONValue(yamlNode: node, budget: budget, depth: 0)
    }

    /// Parses a multi-document YAML stream (`---` separated), as `apply -f` reads it; empty documents are
    /// skipped.
    public static func parseYAMLDocuments(_ text: String) throws -> [JSONValue] {
        var nodes = try Yams.compose_all(yaml: text)
        var documents: [JSONValue] = []
        let budget = YAMLBudget(text: text)
        while let node = nodes.next() {
            let value = try JSONValue(yamlNode: node, budget: budget, depth: 0)
            if !value.isNull { documents.append(value) }
        }
        if let error = nodes.error { throw error }
        return documents
    }

    /// Converts a composed YAML node, resolving scalars with the YAML 1.1 rules Kubernetes uses (`true`,
    /// `yes`, `on` are booleans; timestamps stay strings). Aliases are expanded within `budget`: a document may
    /// hold no more values than it has bytes (at least 10,000), nested at most 256 deep, so a few hundred bytes of
    /// aliases cannot expand into gigabytes ("billion laughs").
    init(yamlNode node: Node, budget: YAMLBudget, depth: Int) throws {
        try budget.spend(depth: depth, at: node.mark)
        switch node {
        case .scalar(let scalar):
            self = JSONValue(yamlScalar: scalar, tag: Resolver.default.resolveTag(of: node))
        case .sequence(let sequence):
            self = .array(try sequence.map { try JSONValue(yamlNode: $0, budget: budget, depth: depth + 1) })
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw YAMLConversionError(
                        description: "line \((key.mark?.line).map(String.init) ?? "?"): mapping keys must be scalars")
                }
                members[keyScalar.string] = try JSONValue(yamlNode: value, budget: budget, depth: depth + 1)
            }
            self = .object(members)
        case .alias(let alias):
            throw YAMLConversionError(
                description: "line \((alias.mark?.line).map(String.init) ?? "?"): unresolved YAML alias")
        }
    }

    private init(yamlScalar scalar: Node.Scalar, tag: Tag.Name) {
        let node = Node.scalar(scalar)
        switch tag {
        case .null:
            self = .null
        case .bool:
            self = node.bool.map(JSONValue.bool) ?? .string(scalar.string)
        case .int:
            if let value = node.int {
                self = .int(Int64(value))
            } else if let value = node.float, value.isFinite {
                self = .double(value)
            } else {
                self = .string(scalar.string)
            }
        case .float:
            if let value = node.float, value.isFinite {
                self = .double(value)
            } else {
                self = .string(scalar.string)
            }
        default:
            self = .string(scalar.string)
        }
    }

    /// Renders as block-style YAML with sorted keys, quoting strings that would otherwise read back as
    /// another type (`"true"`, `"1.0"`, `"null"`).
    public func yamlString() throws -> String {
        try Yams.serialize(node: yamlNode(), indent: 2, width: -1, allowUnicode: true, sortKeys: true)
    }

    private func yamlNode() -> Node {
        switch self {
        case .null:
            return .scalar(.init("null"))
        case .bool(let value):
            return .scalar(.init(value ? "true" : "false"))
        case .int(let value):
            return .scalar(.init(String(value)))
        case .double(let value):
            return .scalar(.init(JSONValue.double(value).jsonString()))
        case .string(let value):
            let plain = Node.Scalar(value)
            if value.contains("\n") { return .scalar(.init(value, Tag(.str), .literal)) }
            if Resolver.default.resolveTag(of: .scalar(plain)) != .str {
                return .scalar(.init(value, Tag(.str), .singleQuoted))
            }
            return .scalar(plain)
        case .array(let elements):
            return .sequence(.init(elements.map { $0.yamlNode() }))
        case .object(let members):
            let pairs = members.sorted { $0.key < $1.key }.map {
                (JSONValue.string($0.key).yamlNode(), $0.value.yamlNode())
            }
            return .mapping(.init(pairs))
        }
    }
}

/// How many values the documents of one YAML text may expand to, and how deep.
final class YAMLBudget {
    private var remaining: Int
    let limit: Int
    static let maximumDepth = 256

    init(text: String) {
        limit = max(10_000, text.utf8.count)
        remaining = limit
    }

    func spend(depth: Int, at mark: Mark?) throws {
        let line = (mark?.line).map { "line \($0): " } ?? ""
        guard depth <= Self.maximumDepth else {
            throw YAMLConversionError(description: "\(line)the document nests deeper than \(Self.maximumDepth) levels")
        }
        remaining -= 1
        guard remaining >= 0 else {
            throw YAMLConversionError(
                description: "the document expands to more than \(limit) values through YAML aliases (anchors used many times); "
                    + "write the values out instead")
        }
    }
}

/// A YAML document that has no JSON equivalent (a mapping key that is itself a mapping, for example).
public struct YAMLConversionError: Error, CustomStringConvertible, Sendable {
    /// Where and what.
    public let description: String
}
