import Foundation
import StageflowAPI

/// Walks a value together with its schema, collecting every violation (not only the first) with Kubernetes'
/// reasons and messages, and returning the value with unknown fields pruned.
struct SchemaWalker {
    /// Every violation found, in walk order (object members in sorted order).
    private(set) var causes: [APIStatus.Cause] = []
    /// Paths of the fields the schema does not know.
    private(set) var unknownFields: [String] = []
    /// False inside `allOf`/`anyOf`/`oneOf`/`not`, whose alternatives only check values and never prune.
    let prunes: Bool

    init(prunes: Bool = true) { self.prunes = prunes }

    /// Validates `value` at `path` and returns it pruned.
    mutating func walk(_ value: JSONValue, _ schema: StructuralSchema, at path: FieldPath) -> JSONValue {
        if value.isNull, schema.nullable || (schema.type == nil && !schema.intOrString) { return value }
        guard schema.accepts(value) else {
            let expected = schema.intOrString ? "integer,string" : (schema.type ?? "")
            add(
                "FieldValueTypeInvalid",
                "Invalid value: \(ValueText.quote(value.typeName)): \(path.messageName) in body must be of type "
                    + "\(expected): \(ValueText.quote(value.typeName))",
                at: path)
            return value
        }
        var result = value
        switch value {
        case .string(let text): checkString(text, schema, at: path)
        case .int, .double: checkNumber(value, schema, at: path)
        case .array(let elements): result = walkArray(elements, schema, at: path)
        case .object(let members): result = walkObject(members, schema, at: path)
        case .bool, .null: break
        }
        checkEnum(result, schema, at: path)
        checkJunctors(result, schema, at: path)
        return result
    }

    // MARK: - Objects and arrays

    private mutating func walkObject(
        _ members: [String: JSONValue], _ schema: StructuralSchema, at path: FieldPath
    ) -> JSONValue {
        var kept: [String: JSONValue] = [:]
        for key in members.keys.sorted() {
            guard let child = members[key] else { continue }
            if let property = schema.properties[key] {
                if prunes, child.isNull, !property.nullable { continue }
                kept[key] = walk(child, property, at: path.child(key))
            } else if case .schema(let valueSchema) = schema.additionalProperties {
                if prunes, child.isNull, !valueSchema.nullable { continue }
                kept[key] = walk(child, valueSchema, at: path.key(key))
            } else if schema.keepsOtherFields || !prunes {
                kept[key] = child
                if !prunes, case .allowed(false) = schema.additionalProperties {
                    add("FieldValueForbidden", "Forbidden: not a property of the schema", at: path.child(key))
                }
            } else {
                unknownFields.append(path.child(key).description)
            }
        }
        for name in schema.required where kept[name] == nil {
            add("FieldValueRequired", "Required value", at: path.child(name))
        }
        let count = Int64(kept.count)
        if let minimum = schema.minProperties, count < minimum {
            invalid(.int(count), "\(path.messageName) in body should have at least \(minimum) properties", at: path)
        }
        if let maximum = schema.maxProperties, count > maximum {
            tooMany(count, maximum, at: path)
        }
        return .object(kept)
    }

    private mutating func walkArray(_ elements: [JSONValue], _ schema: StructuralSchema, at path: FieldPath)
        -> JSONValue
    {
        let count = Int64(elements.count)
        if let maximum = schema.maxItems, count > maximum {
            tooMany(count, maximum, at: path)
        }
        if let minimum = schema.minItems, count < minimum {
            invalid(.int(count), "\(path.messageName) in body should have at least \(minimum) items", at: path)
        }
        var walked: [JSONValue] = []
        walked.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            walked.append(schema.items.map { walk(element, $0, at: path.index(index)) } ?? element)
        }
        checkListType(walked, schema, at: path)
        return .array(walked)
    }

    /// `x-kubernetes-list-type: set` forbids equal elements; `map` forbids elements with equal keys.
    private mutating func checkListType(_ elements: [JSONValue], _ schema: StructuralSchema, at path: FieldPath) {
        switch schema.listType {
        case "set":
            var seen: Set<JSONValue> = []
            for (index, element) in elements.enumerated() where !seen.insert(element).inserted {
                add("FieldValueDuplicate", "Duplicate value: \(ValueText.render(element))", at: path.index(index))
            }
        case "map" where !schema.listMapKeys.isEmpty:
            var seen: Set<JSONValue> = []
            for (index, element) in elements.enumerated() {
                guard case .object(let members) = element else { continue }
                var key: [String: JSONValue] = [:]
                for name in schema.listMapKeys { key[name] = members[name] ?? .null }
                if !seen.insert(.object(key)).inserted {
                    add(
                        "FieldValueDuplicate", "Duplicate value: \(ValueText.render(.object(key)))",
                        at: path.index(index))
                }
            }
        default:
            break
        }
    }

    // MARK: - Scalars

    private mutating func checkString(_ text: String, _ schema: StructuralSchema, at path: FieldPath) {
        let length = Int64(text.unicodeScalars.count)
        if let maximum = schema.maxLength, length > maximum {
            let unit = maximum == 1 ? "byte" : "bytes"
            add("FieldValueTooLong", "Too long: may not be more than \(maximum) \(unit)", at: path)
        }
        if let minimum = schema.minLength, length < minimum {
            invalid(.string(text), "\(path.messageName) in body should be at least \(minimum) chars long", at: path)
        }
        if let expression = schema.patternExpression, let pattern = schema.pattern {
            let range = NSRange(text.startIndex..., in: text)
            if expression.firstMatch(in: text, range: range) == nil {
                invalid(.string(text), "\(path.messageName) in body should match '\(pattern)'", at: path)
            }
        }
        if let format = schema.format, !StringFormat.isValid(text, format: format) {
            add(
                "FieldValueTypeInvalid",
                "Invalid value: \(ValueText.quote(text)): \(path.messageName) in body must be of type \(format): "
                    + ValueText.quote(text),
                at: path)
        }
    }

    private mutating func checkNumber(_ value: JSONValue, _ schema: StructuralSchema, at path: FieldPath) {
        guard let number = value.doubleValue else { return }
        if let minimum = schema.minimum {
            let fails = schema.exclusiveMinimum ? number <= minimum : number < minimum
            if fails {
                let relation = schema.exclusiveMinimum ? "greater than" : "greater than or equal to"
                invalid(
                    value, "\(path.messageName) in body should be \(relation) \(ValueText.render(minimum))", at: path)
            }
        }
        if let maximum = schema.maximum {
            let fails = schema.exclusiveMaximum ? number >= maximum : number > maximum
            if fails {
                let relation = schema.exclusiveMaximum ? "less than" : "less than or equal to"
                invalid(
                    value, "\(path.messageName) in body should be \(relation) \(ValueText.render(maximum))", at: path)
            }
        }
        if let factor = schema.multipleOf, factor > 0 {
            let quotient = number / factor
            if quotient.rounded() != quotient {
                invalid(
                    value, "\(path.messageName) in body should be a multiple of \(ValueText.render(factor))", at: path)
            }
        }
    }

    private mutating func checkEnum(_ value: JSONValue, _ schema: StructuralSchema, at path: FieldPath) {
        guard let allowed = schema.enumValues, !allowed.contains(where: { Self.equal($0, value) }) else { return }
        let supported = allowed.map { member -> String in
            if case .string(let text) = member { return ValueText.quote(text) }
            return ValueText.quote(member.jsonString())
        }
        add(
            "FieldValueNotSupported",
            "Unsupported value: \(ValueText.render(value)): supported values: \(supported.joined(separator: ", "))",
            at: path)
    }

    /// Equality that treats `3` and `3.0` alike, as JSON does.
    private static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = lhs.doubleValue, let right = rhs.doubleValue { return left == right }
        return lhs == rhs
    }

    // MARK: - allOf, anyOf, oneOf, not

    private mutating func checkJunctors(_ value: JSONValue, _ schema: StructuralSchema, at path: FieldPath) {
        for alternative in schema.allOf {
            causes += Self.check(value, alternative, at: path)
        }
        if !schema.anyOf.isEmpty {
            let results = schema.anyOf.map { Self.check(value, $0, at: path) }
            if !results.contains(where: \.isEmpty) {
                invalid(
                    .string(""), "\(ValueText.quote(path.messageName)) must validate at least one schema (anyOf)",
                    at: path)
                causes += results.min { $0.count < $1.count } ?? []
            }
        }
        if !schema.oneOf.isEmpty {
            let results = schema.oneOf.map { Self.check(value, $0, at: path) }
            let passing = results.filter(\.isEmpty).count
            if passing != 1 {
                invalid(
                    .string(""), "\(ValueText.quote(path.messageName)) must validate one and only one schema (oneOf)",
                    at: path)
                if passing == 0 { causes += results.min { $0.count < $1.count } ?? [] }
            }
        }
        if let negated = schema.not, Self.check(value, negated, at: path).isEmpty {
            invalid(.string(""), "\(ValueText.quote(path.messageName)) must not validate the schema (not)", at: path)
        }
    }

    /// The violations of one alternative, checked without pruning.
    private static func check(_ value: JSONValue, _ schema: StructuralSchema, at path: FieldPath) -> [APIStatus.Cause] {
        var walker = SchemaWalker(prunes: false)
        _ = walker.walk(value, schema, at: path)
        return walker.causes
    }

    // MARK: - Causes

    private mutating func add(_ reason: String, _ message: String, at path: FieldPath) {
        causes.append(APIStatus.Cause(reason: reason, message: message, field: path.messageName))
    }

    private mutating func invalid(_ value: JSONValue, _ detail: String, at path: FieldPath) {
        add("FieldValueInvalid", "Invalid value: \(ValueText.render(value)): \(detail)", at: path)
    }

    private mutating func tooMany(_ count: Int64, _ maximum: Int64, at path: FieldPath) {
        let unit = maximum == 1 ? "item" : "items"
        add("FieldValueTooMany", "Too many: \(count): must have at most \(maximum) \(unit)", at: path)
    }
}
