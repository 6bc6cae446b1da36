import Foundation

/// Patch documents of the three kinds the API accepts: JSON merge patch (RFC 7386), JSON patch (RFC 6902)
/// and server-side apply (a merge of the applied configuration).
public enum Patch {
    /// Applies a JSON merge patch (RFC 7386): objects merge recursively, `null` removes, anything else replaces.
    public static func merge(_ target: JSONValue, with patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = merge(result[key] ?? .null, with: value)
            }
        }
        return .object(result)
    }

    /// Computes the JSON merge patch that turns `original` into `modified`.
    public static func mergeDiff(from original: JSONValue, to modified: JSONValue) -> JSONValue? {
        guard case .object(let old) = original, case .object(let new) = modified else {
            if original == modified { return nil }
            return modified
        }
        var patch: [String: JSONValue] = [:]
        for (key, value) in new {
            if let previous = old[key] {
                if let child = mergeDiff(from: previous, to: value) { patch[key] = child }
            } else {
                patch[key] = value
            }
        }
        for key in old.keys where new[key] == nil { patch[key] = .null }
        return patch.isEmpty ? nil : .object(patch)
    }

    /// Applies a JSON patch (RFC 6902): `add`, `remove`, `replace`, `move`, `copy` and `test`.
    public static func apply(jsonPatch operations: JSONValue, to target: JSONValue) throws -> JSONValue {
        guard case .array(let list) = operations else {
            throw PatchError("a JSON patch must be an array of operations")
        }
        var document = target
        for (index, operation) in list.enumerated() {
            guard let op = operation["op"]?.stringValue else {
                throw PatchError("operation \(index): missing \"op\"")
            }
            guard let path = operation["path"]?.stringValue else {
                throw PatchError("operation \(index): missing \"path\"")
            }
            let pointer = try JSONPointer(path)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw PatchError("operation \(index): missing \"value\"") }
                document = try pointer.adding(value, to: document)
            case "remove":
                document = try pointer.removing(from: document)
            case "replace":
                guard let value = operation["value"] else { throw PatchError("operation \(index): missing \"value\"") }
                _ = try pointer.resolve(in: document)
                document = try pointer.removing(from: document)
                document = try pointer.adding(value, to: document)
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else {
                    throw PatchError("operation \(index): missing \"from\"")
                }
                let source = try JSONPointer(from)
                let value = try source.resolve(in: document)
                if op == "move" { document = try source.removing(from: document) }
                document = try pointer.adding(value, to: document)
            case "test":
                guard let value = operation["value"] else { throw PatchError("operation \(index): missing \"value\"") }
                guard try pointer.resolve(in: document) == value else {
                    throw PatchError("operation \(index): test failed at \(path)")
                }
            default:
                throw PatchError("operation \(index): unknown op \"\(op)\"")
            }
        }
        return document
    }
}

/// A patch document that cannot be applied; the message names the operation and path.
public struct PatchError: Error, CustomStringConvertible, Sendable {
    /// What is wrong with the patch.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A JSON pointer (RFC 6901), used by JSON patch and in validation messages.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public var tokens: [String]

    /// Parses `/a/b~1c/0`.
    public init(_ text: String) throws {
        if text.isEmpty { tokens = []; return }
        guard text.hasPrefix("/") else { throw PatchError("JSON pointer \"\(text)\" must start with /") }
        tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// A pointer from tokens.
    public init(tokens: [String]) { self.tokens = tokens }

    public var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }

    func resolve(in document: JSONValue) throws -> JSONValue {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw PatchError("path \(self) does not exist") }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else {
                    throw PatchError("path \(self) does not exist")
                }
                current = elements[index]
            default:
                throw PatchError("path \(self) does not exist")
            }
        }
        return current
    }

    func adding(_ value: JSONValue, to document: JSONValue) throws -> JSONValue {
        try update(document, at: tokens[...]) { parent, last in
            switch parent {
            case .object(var members):
                members[last] = value
                return .object(members)
            case .array(var elements):
                if last == "-" {
                    elements.append(value)
                } else if let index = Int(last), index >= 0, index <= elements.count {
                    elements.insert(value, at: index)
                } else {
                    throw PatchError("path \(self): bad array index \"\(last)\"")
                }
                return .array(elements)
            default:
                throw PatchError("path \(self): parent is not an object or array")
            }
        }
    }

    func removing(from document: JSONValue) throws -> JSONValue {
        try update(document, at: tokens[...]) { parent, last in
            switch parent {
            case .object(var members):
                guard members.removeValue(forKey: last) != nil else { throw PatchError("path \(self) does not exist") }
                return .object(members)
            case .array(var elements):
                guard let index = Int(last), elements.indices.contains(index) else {
                    throw PatchError("path \(self) does not exist")
                }
                elements.remove(at: index)
                return .array(elements)
            default:
                throw PatchError("path \(self) does not exist")
            }
        }
    }

    private func update(
        _ node: JSONValue, at remaining: ArraySlice<String>,
        _ change: (JSONValue, String) throws -> JSONValue
    ) throws -> JSONValue {
        guard let first = remaining.first else { throw PatchError("the root cannot be the target here") }
        if remaining.count == 1 { return try change(node, first) }
        switch node {
        case .object(var members):
            guard let child = members[first] else { throw PatchError("path \(self) does not exist") }
            members[first] = try update(child, at: remaining.dropFirst(), change)
            return .object(members)
        case .array(var elements):
            guard let index = Int(first), elements.indices.contains(index) else {
                throw PatchError("path \(self) does not exist")
            }
            elements[index] = try update(elements[index], at: remaining.dropFirst(), change)
            return .array(elements)
        default:
            throw PatchError("path \(self) does not exist")
        }
    }
}
