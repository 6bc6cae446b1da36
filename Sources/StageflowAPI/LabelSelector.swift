import Foundation

/// A parsed label selector (`app=web,tier!=db,env in (a,b),!legacy`), with Kubernetes semantics.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// One requirement; all must hold.
    public enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    /// The requirements, all of which must match.
    public var requirements: [Requirement]

    /// Parses selector text; an empty string selects everything.
    public init(parsing text: String) throws {
        requirements = []
        var scanner = SelectorScanner(text)
        scanner.skipSpaces()
        while !scanner.atEnd {
            requirements.append(try scanner.requirement())
            scanner.skipSpaces()
            if scanner.atEnd { break }
            guard scanner.consume(",") else { throw scanner.error("expected ','") }
            scanner.skipSpaces()
            if scanner.atEnd { throw scanner.error("expected a requirement after ','") }
        }
    }

    /// A selector of objects carrying every one of these labels.
    public init(matching labels: [String: String]) {
        requirements = labels.sorted { $0.key < $1.key }.map { .equals($0.key, $0.value) }
    }

    /// The selector as query text, parseable by `init(parsing:)`.
    public var description: String {
        requirements.map { requirement in
            switch requirement {
            case .equals(let key, let value): return "\(key)=\(value)"
            case .notEquals(let key, let value): return "\(key)!=\(value)"
            case .in(let key, let values): return "\(key) in (\(values.sorted().joined(separator: ",")))"
            case .notIn(let key, let values): return "\(key) notin (\(values.sorted().joined(separator: ",")))"
            case .exists(let key): return key
            case .doesNotExist(let key): return "!\(key)"
            }
        }.joined(separator: ",")
    }

    /// Whether a set of labels satisfies every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): return labels[key] == value
            case .notEquals(let key, let value): return labels[key] != value
            case .in(let key, let values): return labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): return labels[key].map { !values.contains($0) } ?? true
            case .exists(let key): return labels[key] != nil
            case .doesNotExist(let key): return labels[key] == nil
            }
        }
    }
}

/// A label selector that cannot be parsed.
public struct SelectorError: Error, CustomStringConvertible, Sendable {
    /// What is wrong and where.
    public let description: String
}

private struct SelectorScanner {
    let characters: [Character]
    var position = 0
    let text: String

    init(_ text: String) {
        self.text = text
        self.characters = Array(text)
    }

    var atEnd: Bool { position >= characters.count }

    mutating func skipSpaces() {
        while !atEnd, characters[position] == " " { position += 1 }
    }

    mutating func consume(_ literal: String) -> Bool {
        let literalCharacters = Array(literal)
        guard position + literalCharacters.count <= characters.count,
            Array(characters[position..<position + literalCharacters.count]) == literalCharacters
        else { return false }
        position += literalCharacters.count
        return true
    }

    func error(_ message: String) -> SelectorError {
        SelectorError(description: "invalid label selector \"\(text)\" at column \(position + 1): \(message)")
    }

    mutating func word() throws -> String {
        let start = position
        while !atEnd, characters[position].isLetter || characters[position].isNumber
            || "-_./".contains(characters[position])
        {
            position += 1
        }
        guard position > start else { throw error("expected a label key or value") }
        return String(characters[start..<position])
    }

    mutating func optionalWord() -> String {
        (try? word()) ?? ""
    }

    mutating func requirement() throws -> LabelSelector.Requirement {
        if consume("!") {
            skipSpaces()
            return .doesNotExist(try word())
        }
        let key = try word()
        skipSpaces()
        if consume("!=") {
            skipSpaces()
            return .notEquals(key, optionalWord())
        }
        if consume("==") || consume("=") {
            skipSpaces()
            return .equals(key, optionalWord())
        }
        if consume("notin") {
            return .notIn(key, try valueSet())
        }
        if consume("in") {
            return .in(key, try valueSet())
        }
        return .exists(key)
    }

    mutating func valueSet() throws -> Set<String> {
        skipSpaces()
        guard consume("(") else { throw error("expected '('") }
        var values: Set<String> = []
        while true {
            skipSpaces()
            values.insert(optionalWord())
            skipSpaces()
            if consume(")") { return values }
            guard consume(",") else { throw error("expected ',' or ')'") }
        }
    }
}

/// A parsed field selector (`metadata.name=foo,involvedObject.uid!=x`): each requirement compares the string at a
/// dotted field path of the object with `=`, `==` or `!=`. Which paths a kind may be selected on is the server's
/// to say (`supportedFields`).
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// `(field, value, equal)` triples; all must hold.
    public var requirements: [(field: String, value: String, equal: Bool)]

    public static func == (lhs: FieldSelector, rhs: FieldSelector) -> Bool {
        lhs.requirements.elementsEqual(rhs.requirements) { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        for requirement in requirements {
            hasher.combine(requirement.field)
            hasher.combine(requirement.value)
            hasher.combine(requirement.equal)
        }
    }

    /// The fields every kind may be selected on.
    public static let supportedFields = ["metadata.name", "metadata.namespace"]

    /// Parses `metadata.name=foo,metadata.namespace!=bar`, allowing the fields in `supportedFields` (any field
    /// with `nil`, for a client that leaves the check to the server).
    public init(parsing text: String, supportedFields: [String]? = FieldSelector.supportedFields) throws {
        requirements = []
        for part in text.split(separator: ",") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
            let clause = String(part)
            let (separator, equal): (String, Bool) =
                clause.contains("!=") ? ("!=", false) : clause.contains("==") ? ("==", true) : ("=", true)
            guard let range = clause.range(of: separator) else {
                throw SelectorError(description: "invalid field selector \"\(text)\": \"\(clause)\" has no operator")
            }
            let field = clause[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let value = clause[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if let supportedFields, !supportedFields.contains(field) {
                throw SelectorError(
                    description: "field label not supported: \(field) (supported: \(supportedFields.joined(separator: ", ")))")
            }
            guard !field.isEmpty else {
                throw SelectorError(description: "invalid field selector \"\(text)\": \"\(clause)\" names no field")
            }
            requirements.append((field, value, equal))
        }
    }

    /// A selector of objects whose fields equal the given values.
    public init(equal fields: [(String, String)]) {
        requirements = fields.map { ($0.0, $0.1, true) }
    }

    /// Whether an object with this name and namespace matches (for selectors on `metadata.name`/`namespace`).
    public func matches(name: String, namespace: String?) -> Bool {
        matches(["metadata": ["name": .string(name), "namespace": namespace.map(JSONValue.string) ?? .null]])
    }

    /// Whether an object matches; a missing field reads as the empty string, as in Kubernetes.
    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { requirement in
            let path = requirement.field.split(separator: ".").map(String.init)
            let actual = object[path: path].flatMap(\.stringValue) ?? ""
            return (actual == requirement.value) == requirement.equal
        }
    }

    /// The selector as query text.
    public var description: String {
        requirements.map { "\($0.field)\($0.equal ? "=" : "!=")\($0.value)" }.joined(separator: ",")
    }
}
