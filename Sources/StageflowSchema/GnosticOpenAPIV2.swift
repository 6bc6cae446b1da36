import StageflowAPI

/// Encodes a Swagger 2.0 document as the `openapi.v2.Document` protocol buffer of gnostic
/// (`github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto`), the form `kubectl` downloads from
/// `/openapi/v2`. Covers what Stageflow's documents use: info, paths with operations, parameters and responses,
/// definitions with every JSON-schema keyword of Swagger 2.0, and `x-` extensions (whose values gnostic carries as
/// YAML text; JSON is valid YAML).
enum GnosticOpenAPIV2 {
    /// The protobuf bytes of a Swagger 2.0 document.
    static func encode(_ document: JSONValue) -> [UInt8] {
        var writer = ProtobufWriter()
        writeDocument(document, &writer)
        return writer.bytes
    }

    // MARK: - Document, paths, operations

    private static func writeDocument(_ document: JSONValue, _ writer: inout ProtobufWriter) {
        if let swagger = document["swagger"]?.stringValue { writer.string(1, swagger) }
        if let info = document["info"] {
            writer.message(2) { message in
                if let title = info["title"]?.stringValue { message.string(1, title) }
                if let version = info["version"]?.stringValue { message.string(2, version) }
                if let description = info["description"]?.stringValue { message.string(3, description) }
            }
        }
        if let host = document["host"]?.stringValue { writer.string(3, host) }
        if let basePath = document["basePath"]?.stringValue { writer.string(4, basePath) }
        strings(document["schemes"], field: 5, &writer)
        strings(document["consumes"], field: 6, &writer)
        strings(document["produces"], field: 7, &writer)
        if let paths = document["paths"]?.objectValue {
            writer.message(8) { message in
                vendorExtensions(paths, field: 1, &message)
                for (path, item) in paths.sorted(by: { $0.key < $1.key }) where !path.hasPrefix("x-") {
                    message.message(2) { named in
                        named.string(1, path)
                        named.message(2) { writePathItem(item, &$0) }
                    }
                }
            }
        }
        if let definitions = document["definitions"]?.objectValue {
            writer.message(9) { message in
                namedSchemas(definitions, field: 1, &message)
            }
        }
        vendorExtensions(document.objectValue ?? [:], field: 16, &writer)
    }

    private static func writePathItem(_ item: JSONValue, _ writer: inout ProtobufWriter) {
        if let reference = item["$ref"]?.stringValue { writer.string(1, reference) }
        let methods = [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("options", 6), ("head", 7), ("patch", 8)]
        for (method, field) in methods {
            guard let operation = item[method] else { continue }
            writer.message(field) { writeOperation(operation, &$0) }
        }
        for parameter in item["parameters"]?.arrayValue ?? [] {
            writer.message(9) { writeParametersItem(parameter, &$0) }
        }
        vendorExtensions(item.objectValue ?? [:], field: 10, &writer)
    }

    private static func writeOperation(_ operation: JSONValue, _ writer: inout ProtobufWriter) {
        strings(operation["tags"], field: 1, &writer)
        if let summary = operation["summary"]?.stringValue { writer.string(2, summary) }
        if let description = operation["description"]?.stringValue { writer.string(3, description) }
        if let operationID = operation["operationId"]?.stringValue { writer.string(5, operationID) }
        strings(operation["produces"], field: 6, &writer)
        strings(operation["consumes"], field: 7, &writer)
        for parameter in operation["parameters"]?.arrayValue ?? [] {
            writer.message(8) { writeParametersItem(parameter, &$0) }
        }
        if let responses = operation["responses"]?.objectValue {
            writer.message(9) { message in
                for (code, response) in responses.sorted(by: { $0.key < $1.key }) where !code.hasPrefix("x-") {
                    message.message(1) { named in
                        named.string(1, code)
                        named.message(2) { value in
                            value.message(1) { writeResponse(response, &$0) }
                        }
                    }
                }
                vendorExtensions(responses, field: 2, &message)
            }
        }
        strings(operation["schemes"], field: 10, &writer)
        if operation["deprecated"]?.boolValue == true { writer.bool(11, true) }
        vendorExtensions(operation.objectValue ?? [:], field: 13, &writer)
    }

    private static func writeResponse(_ response: JSONValue, _ writer: inout ProtobufWriter) {
        writer.string(1, response["description"]?.stringValue ?? "")
        if let schema = response["schema"] {
            writer.message(2) { item in
                item.message(1) { writeSchema(schema, &$0) }
            }
        }
        vendorExtensions(response.objectValue ?? [:], field: 5, &writer)
    }

    /// A parameter: a `$ref`, a body parameter, or a query, path or header parameter.
    private static func writeParametersItem(_ parameter: JSONValue, _ writer: inout ProtobufWriter) {
        if let reference = parameter["$ref"]?.stringValue {
            writer.message(2) { $0.string(1, reference) }
            return
        }
        let location = parameter["in"]?.stringValue ?? ""
        writer.message(1) { wrapper in
            if location == "body" {
                wrapper.message(1) { body in
                    if let description = parameter["description"]?.stringValue { body.string(1, description) }
                    body.string(2, parameter["name"]?.stringValue ?? "")
                    body.string(3, location)
                    if parameter["required"]?.boolValue == true { body.bool(4, true) }
                    if let schema = parameter["schema"] { body.message(5) { writeSchema(schema, &$0) } }
                    vendorExtensions(parameter.objectValue ?? [:], field: 6, &body)
                }
                return
            }
            wrapper.message(2) { nonBody in
                // Query and form-data sub-schemas carry allowEmptyValue as field 5, which shifts every later field
                // by one against the path and header sub-schemas.
                let (field, shift): (Int, Int) =
                    switch location {
                    case "header": (1, 0)
                    case "formData": (2, 1)
                    case "query": (3, 1)
                    default: (4, 0)
                    }
                nonBody.message(field) { sub in
                    if parameter["required"]?.boolValue == true { sub.bool(1, true) }
                    sub.string(2, location)
                    if let description = parameter["description"]?.stringValue { sub.string(3, description) }
                    sub.string(4, parameter["name"]?.stringValue ?? "")
                    if shift == 1, parameter["allowEmptyValue"]?.boolValue == true { sub.bool(5, true) }
                    if let type = parameter["type"]?.stringValue { sub.string(5 + shift, type) }
                    if let format = parameter["format"]?.stringValue { sub.string(6 + shift, format) }
                    if parameter["uniqueItems"]?.boolValue == true { sub.bool(19 + shift, true) }
                    vendorExtensions(parameter.objectValue ?? [:], field: 22 + shift, &sub)
                }
            }
        }
    }

    // MARK: - Schemas

    private static func writeSchema(_ schema: JSONValue, _ writer: inout ProtobufWriter) {
        guard case .object(let members) = schema else { return }
        let strings: [(String, Int)] = [
            ("$ref", 1), ("format", 2), ("title", 3), ("description", 4), ("pattern", 13), ("discriminator", 26),
        ]
        for (key, field) in strings {
            if let value = members[key]?.stringValue { writer.string(field, value) }
        }
        if let value = members["default"] { writer.message(5) { anyValue(value, &$0) } }
        let doubles: [(String, Int)] = [("multipleOf", 6), ("maximum", 7), ("minimum", 9)]
        for (key, field) in doubles {
            if let value = members[key]?.doubleValue { writer.double(field, value) }
        }
        let booleans: [(String, Int)] = [
            ("exclusiveMaximum", 8), ("exclusiveMinimum", 10), ("uniqueItems", 16), ("readOnly", 27),
        ]
        for (key, field) in booleans where members[key]?.boolValue == true {
            writer.bool(field, true)
        }
        let integers: [(String, Int)] = [
            ("maxLength", 11), ("minLength", 12), ("maxItems", 14), ("minItems", 15), ("maxProperties", 17),
            ("minProperties", 18),
        ]
        for (key, field) in integers {
            if let value = members[key]?.intValue { writer.int64(field, value) }
        }
        self.strings(members["required"], field: 19, &writer)
        for value in members["enum"]?.arrayValue ?? [] {
            writer.message(20) { anyValue(value, &$0) }
        }
        switch members["additionalProperties"] {
        case .bool(let allowed)?: writer.message(21) { $0.bool(2, allowed) }
        case .object(let nested)?: writer.message(21) { item in item.message(1) { writeSchema(.object(nested), &$0) } }
        default: break
        }
        switch members["type"] {
        case .string(let type)?: writer.message(22) { $0.string(1, type) }
        case .array(let types)?:
            writer.message(22) { item in types.compactMap(\.stringValue).forEach { item.string(1, $0) } }
        default: break
        }
        switch members["items"] {
        case .object?: writer.message(23) { item in item.message(1) { writeSchema(members["items"] ?? .null, &$0) } }
        case .array(let list)?:
            writer.message(23) { item in list.forEach { schema in item.message(1) { writeSchema(schema, &$0) } } }
        default: break
        }
        for schema in members["allOf"]?.arrayValue ?? [] {
            writer.message(24) { writeSchema(schema, &$0) }
        }
        if let properties = members["properties"]?.objectValue {
            writer.message(25) { namedSchemas(properties, field: 1, &$0) }
        }
        if let example = members["example"] { writer.message(30) { anyValue(example, &$0) } }
        vendorExtensions(members, field: 31, &writer)
    }

    private static func namedSchemas(_ schemas: [String: JSONValue], field: Int, _ writer: inout ProtobufWriter) {
        for (name, schema) in schemas.sorted(by: { $0.key < $1.key }) {
            writer.message(field) { named in
                named.string(1, name)
                named.message(2) { writeSchema(schema, &$0) }
            }
        }
    }

    // MARK: - Values

    /// `NamedAny` entries for the `x-` members of an object.
    private static func vendorExtensions(_ members: [String: JSONValue], field: Int, _ writer: inout ProtobufWriter) {
        for (name, value) in members.sorted(by: { $0.key < $1.key }) where name.hasPrefix("x-") {
            writer.message(field) { named in
                named.string(1, name)
                named.message(2) { anyValue(value, &$0) }
            }
        }
    }

    /// An `Any` holding a value as YAML text (JSON syntax).
    private static func anyValue(_ value: JSONValue, _ writer: inout ProtobufWriter) {
        writer.string(2, value.jsonString() + "\n")
    }

    private static func strings(_ value: JSONValue?, field: Int, _ writer: inout ProtobufWriter) {
        for string in value?.arrayValue?.compactMap(\.stringValue) ?? [] {
            writer.string(field, string)
        }
    }
}
