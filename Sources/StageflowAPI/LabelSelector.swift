import Foundation

/// A parsed label selector (`app=web,tier!=db,env in (a,b),!legacy`), with Kubernetes semantics.
public struct LabelSelector: Sendable, Hashable {
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

/// A parsed field selector; only `metadata.name` and `metadata.namespace` are supported, with `=`, `==`, `!=`.
public struct FieldSelector: Sendable, Hashable {
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

    /// The fields that may be selected on.
    public static let supportedFields = ["metadata.name", "metadata.namespace"]

    /// Parses `metadata.name=foo,metadata.namespace!=bar`.
    public init(parsing text: String) throws {
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
            guard Self.supportedFields.contains(field) else {
                throw SelectorError(
                    description: "field label not supported: \(field) (supported: \(Self.supportedFields.joined(separator: ", ")))")
            }
            requirements.append((field, value, equal))
        }
    }

    /// Whether an object with this name and namespace matches.
    public func matches(name: String, namespace: String?) -> Bool {
        requirements.allSatisfy { requirement in
            let actual = requirement.field == "metadata.name" ? name : (namespace ?? "")
            return (actual == requirement.value) == requirement.equal
        }
    }
}
