import StageflowAPI

/// The two OpenAPI dialects Kubernetes serves: Swagger 2.0 at `/openapi/v2` and OpenAPI 3.0 at `/openapi/v3`.
/// They differ in where definitions live, how a described reference is written and which schema keywords
/// exist.
enum OpenAPIFlavor: Sendable {
    case v2
    case v3

    /// `#/definitions/` or `#/components/schemas/`.
    var referencePrefix: String {
        switch self {
        case .v2: return "#/definitions/"
        case .v3: return "#/components/schemas/"
        }
    }

    /// A bare reference to a definition.
    func reference(_ name: String) -> JSONValue {
        ["$ref": .string(referencePrefix + name)]
    }

    /// A reference with a description: Swagger 2.0 puts both side by side, OpenAPI 3.0 (as Kubernetes writes
    /// it) wraps the reference in `allOf`.
    func reference(_ name: String, description: String) -> JSONValue {
        switch self {
        case .v2:
            return ["$ref": .string(referencePrefix + name), "description": .string(description)]
        case .v3:
            return ["allOf": [reference(name)], "description": .string(description)]
        }
    }

    /// A CRD schema as this dialect publishes it: Swagger 2.0 has no `nullable`, `anyOf`, `oneOf`, `allOf` or
    /// `not`, so Kubernetes drops them there (the server still enforces them).
    func publishing(_ schema: JSONValue) -> JSONValue {
        guard self == .v2 else { return schema }
        switch schema {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, value) in members {
                switch key {
                case "nullable", "anyOf", "oneOf", "allOf", "not":
                    continue
                case "properties":
                    result[key] = .object((value.objectValue ?? [:]).mapValues(publishing))
                case "items", "additionalProperties":
                    result[key] = publishing(value)
                default:
                    result[key] = value
                }
            }
            return .object(result)
        default:
            return schema
        }
    }

    /// The `x-kubernetes-group-version-kind` value of a definition: a list, as Kubernetes writes it.
    static func groupVersionKinds(group: String, version: String, kind: String) -> JSONValue {
        [["group": .string(group), "kind": .string(kind), "version": .string(version)]]
    }

    /// The `x-kubernetes-group-version-kind` value of an operation: a single object, as `kubectl` reads it.
    static func groupVersionKind(_ kind: ResourceKind) -> JSONValue {
        ["group": .string(kind.group), "kind": .string(kind.kind), "version": .string(kind.version)]
    }
}
