import Foundation
import StageflowAPI
import Yams

/// Conversion between YAML text and `JSONValue`, with YAML 1.1 scalars as kubectl reads them and errors that
/// carry the document number, line and column.
public enum YAMLConversion {
    /// A YAML problem and where it is; `document` is 1-based and counts empty documents.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        /// The document the problem is in.
        public var document: Int
        /// 1-based line, when known.
        public var line: Int?
        /// 1-based column, when known.
        public var column: Int?
        /// What is wrong.
        public var problem: String

        /// `document 2: line 7, column 12: mapping values are not allowed in this context`.
        public var description: String {
            var text = "document \(document): "
            if let line {
                text += "line \(line)"
                if let column { text += ", column \(column)" }
                text += ": "
            }
            return text + problem
        }
    }

    /// A parsed document with the position of its root.
    public struct Document: Sendable {
        /// 1-based index in the stream, empty documents included.
        public var index: Int
        /// The line the document's content starts on.
        public var line: Int
        /// The content; `null` for an empty document.
        public var value: JSONValue
        /// Positions of the root mapping's values, by key, for error messages.
        public var keyLines: [String: (line: Int, column: Int)]
    }

    /// Parses every document of a YAML (or JSON) stream.
    public static func documents(_ text: String) throws -> [JSONValue] {
        try parse(text).map(\.value)
    }

    /// Parses every document with positions.
    public static func parse(_ text: String) throws -> [Document] {
        var documents: [Document] = []
        do {
            let parser = try Parser(yaml: text, resolver: .default, encoding: .utf8)
            while let node = try parser.nextRoot() {
                let index = documents.count + 1
                var keyLines: [String: (line: Int, column: Int)] = [:]
                if case .mapping(let mapping) = node {
                    for (key, value) in mapping {
                        if let name = key.scalar?.string, let mark = value.mark { keyLines[name] = (mark.line, mark.column) }
                    }
                }
                let value = try json(from: node, document: index)
                documents.append(Document(index: index, line: node.mark?.line ?? 1, value: value, keyLines: keyLines))
            }
        } catch let error as YamlError {
            throw problem(from: error, document: documents.count + 1)
        }
        return documents
    }

    private static func problem(from error: YamlError, document: Int) -> Problem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = context.map { "\($0.text): \(problem)" } ?? problem
            return Problem(document: document, line: mark.line, column: mark.column, problem: text)
        case .reader(let problem, _, _, _):
            return Problem(document: document, problem: "cannot read the text: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return Problem(
                document: document, line: context.mark.line, column: context.mark.column,
                problem: "duplicate key \(keys) in a mapping")
        default:
            return Problem(document: document, problem: "\(error)")
        }
    }

    private static func json(from node: Node, document: Int) throws -> JSONValue {
        func fail(_ node: Node, _ message: String) -> Problem {
            Problem(document: document, line: node.mark?.line, column: node.mark?.column, problem: message)
        }
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return Bool.construct(from: scalar).map(JSONValue.bool) ?? .string(scalar.string)
            case .int:
                if let value = Int64.construct(from: scalar) { return .int(value) }
                if let value = Double.construct(from: scalar) { return .double(value) }
                return .string(scalar.string)
            case .float:
                guard let value = Double.construct(from: scalar) else { return .string(scalar.string) }
                guard value.isFinite else { throw fail(node, "\(scalar.string) cannot be represented in JSON") }
                return .double(value)
            default:
                return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .array(try sequence.map { try json(from: $0, document: document) })
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            var merged: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let keyText = key.scalar?.string else {
                    throw fail(key, "mapping keys must be strings, found a \(key.mapping != nil ? "mapping" : "sequence")")
                }
                if Tag.Name(rawValue: key.tag.rawValue) == .merge {
                    for source in value.sequence.map(Array.init) ?? [value] {
                        guard case .object(let sourceMembers) = try json(from: source, document: document) else {
                            throw fail(source, "a merge key (<<) needs a mapping or a list of mappings")
                        }
                        merged.merge(sourceMembers) { existing, _ in existing }
                    }
                    continue
                }
                members[keyText] = try json(from: value, document: document)
            }
            return .object(members.merging(merged) { own, _ in own })
        case .alias:
            throw fail(node, "unresolved alias")
        }
    }

    /// Renders a value as a YAML document, keys sorted, strings double-quoted where they would read as another type (as kubectl does).
    public static func yaml(_ value: JSONValue) -> String {
        // Serialising a tree of plain scalars, sequences and mappings cannot fail.
        (try? Yams.serialize(node: node(from: value), indent: 2, width: -1, allowUnicode: true)) ?? ""
    }

    private static func node(from value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
        case .int(let number): return Node(String(number), Tag(.int))
        case .double(let number):
            if number.rounded() == number, abs(number) < 1e15 { return Node(String(Int64(number)), Tag(.int)) }
            return Node(String(number), Tag(.float))
        case .string(let text):
            let plainTag = Resolver.default.resolveTag(of: Node(text))
            let style: Node.Scalar.Style =
                text.contains("\n") ? .literal : (plainTag == .str ? .any : .doubleQuoted)
            return Node(text, Tag(.str), style)
        case .array(let elements):
            return Node(elements.map(node(from:)))
        case .object(let members):
            return Node(members.sorted { $0.key < $1.key }.map { (Node($0.key, Tag(.str), keyStyle($0.key)), node(from: $0.value)) })
        }
    }

    private static func keyStyle(_ key: String) -> Node.Scalar.Style {
        Resolver.default.resolveTag(of: Node(key)) == .str ? .any : .doubleQuoted
    }
}
