import Foundation
import StageflowAPI

/// One node of a CRD's OpenAPI v3 schema, compiled once (patterns included) for validation, pruning and
/// defaulting. Supports the structural-schema subset Kubernetes accepts in CustomResourceDefinitions.
final class StructuralSchema: Sendable {
    /// What an object accepts besides its `properties`.
    enum AdditionalProperties: Sendable {
        /// Not given: other fields are unknown and pruned.
        case unspecified
        /// `true` keeps any other field, `false` prunes them.
        case allowed(Bool)
        /// Every other field must match this schema.
        case schema(StructuralSchema)
    }

    let type: String?
    let format: String?
    let nullable: Bool
    let properties: [String: StructuralSchema]
    let required: [String]
    let items: StructuralSchema?
    let additionalProperties: AdditionalProperties
    let enumValues: [JSONValue]?
    let pattern: String?
    let patternExpression: NSRegularExpression?
    let minLength: Int64?
    let maxLength: Int64?
    let minItems: Int64?
    let maxItems: Int64?
    let minProperties: Int64?
    let maxProperties: Int64?
    let minimum: Double?
    let maximum: Double?
    let exclusiveMinimum: Bool
    let exclusiveMaximum: Bool
    let multipleOf: Double?
    let defaultValue: JSONValue?
    let preservesUnknownFields: Bool
    let intOrString: Bool
    let listType: String?
    let listMapKeys: [String]
    let allOf: [StructuralSchema]
    let anyOf: [StructuralSchema]
    let oneOf: [StructuralSchema]
    let not: StructuralSchema?

    /// The types the walker knows.
    static let knownTypes: Set<String> = ["object", "array", "string", "integer", "number", "boolean"]

    /// Compiles a schema; `path` names the node in errors (`openAPIV3Schema.properties.spec`).
    init(_ json: JSONValue, path: String) throws {
        guard case .object(let node) = json else {
            throw SchemaError("\(path): a schema must be an object")
        }
        func int(_ key: String) throws -> Int64? {
            guard let value = node[key] else { return nil }
            guard let number = value.intValue else { throw SchemaError("\(path).\(key): must be an integer") }
            return number
        }
        func number(_ key: String) throws -> Double? {
            guard let value = node[key] else { return nil }
            guard let number = value.doubleValue else { throw SchemaError("\(path).\(key): must be a number") }
            return number
        }
        func children(_ key: String) throws -> [StructuralSchema] {
            guard let value = node[key] else { return [] }
            guard case .array(let list) = value else { throw SchemaError("\(path).\(key): must be an array") }
            return try list.enumerated().map { try StructuralSchema($1, path: "\(path).\(key)[\($0)]") }
        }

        type = node["type"]?.stringValue
        if let type, !Self.knownTypes.contains(type) {
            throw SchemaError("\(path).type: unsupported type \"\(type)\"")
        }
        format = node["format"]?.stringValue
        nullable = node["nullable"]?.boolValue ?? false
        var properties: [String: StructuralSchema] = [:]
        for (name, child) in node["properties"]?.objectValue ?? [:] {
            properties[name] = try StructuralSchema(child, path: "\(path).properties.\(name)")
        }
        self.properties = properties
        required = node["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        items = try node["items"].map { try StructuralSchema($0, path: "\(path).items") }
        switch node["additionalProperties"] {
        case nil: additionalProperties = .unspecified
        case .bool(let allowed): additionalProperties = .allowed(allowed)
        case let schema?:
            additionalProperties = .schema(try StructuralSchema(schema, path: "\(path).additionalProperties"))
        }
        enumValues = node["enum"]?.arrayValue
        pattern = node["pattern"]?.stringValue
        if let pattern {
            do {
                patternExpression = try NSRegularExpression(pattern: Self.icuPattern(pattern))
            } catch {
                throw SchemaError("\(path).pattern: invalid regular expression \(pattern)")
            }
        } else {
            patternExpression = nil
        }
        minLength = try int("minLength")
        maxLength = try int("maxLength")
        minItems = try int("minItems")
        maxItems = try int("maxItems")
        minProperties = try int("minProperties")
        maxProperties = try int("maxProperties")
        minimum = try number("minimum")
        maximum = try number("maximum")
        exclusiveMinimum = node["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = node["exclusiveMaximum"]?.boolValue ?? false
        multipleOf = try number("multipleOf")
        defaultValue = node["default"]
        preservesUnknownFields = node["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        intOrString = node["x-kubernetes-int-or-string"]?.boolValue ?? false
        listType = node["x-kubernetes-list-type"]?.stringValue
        listMapKeys = node["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        allOf = try children("allOf")
        anyOf = try children("anyOf")
        oneOf = try children("oneOf")
        not = try node["not"].map { try StructuralSchema($0, path: "\(path).not") }
    }

    /// Whether a field name outside `properties` is kept (and, for a schema, validated) rather than pruned.
    var keepsOtherFields: Bool {
        if preservesUnknownFields { return true }
        switch additionalProperties {
        case .unspecified: return false
        case .allowed(let allowed): return allowed
        case .schema: return true
        }
    }

    /// Whether a value has one of the JSON types this node allows; a node without a type accepts anything.
    func accepts(_ value: JSONValue) -> Bool {
        if intOrString {
            if case .string = value { return true }
            return value.intValue != nil && !(value.isBool)
        }
        guard let type else { return true }
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool): return true
        case ("integer", .int): return true
        case ("integer", .double(let number)): return number.rounded() == number && number.isFinite
        case ("number", .int), ("number", .double): return true
        default: return false
        }
    }

    /// Go regular expressions (what Kubernetes runs) anchor `$` at the very end of the text; ICU also matches
    /// before a final newline, so a trailing `$` becomes `\z`.
    static func icuPattern(_ pattern: String) -> String {
        guard pattern.hasSuffix("$") else { return pattern }
        let body = pattern.dropLast()
        let backslashes = body.reversed().prefix { $0 == "\\" }.count
        return backslashes % 2 == 0 ? body + "\\z" : pattern
    }
}

/// A schema that cannot be compiled; the message names the node.
public struct SchemaError: Error, CustomStringConvertible, Sendable {
    /// Where and what.
    public let description: String

    init(_ description: String) { self.description = description }
}

extension JSONValue {
    var isBool: Bool {
        if case .bool = self { return true }
        return false
    }
}
