import StageflowAPI

/// The OpenAPI documents of the served kinds, built once from the CRDs the way Kubernetes builds them for custom
/// resources: one definition per kind and list kind (`dev.stageflow.v1alpha1.ScanJob`, `…ScanJobList`) carrying
/// `x-kubernetes-group-version-kind`, `metadata` referring to ObjectMeta, and the REST paths of every kind.
struct OpenAPIDocuments: Sendable {
    /// Swagger 2.0, as JSON.
    let v2: JSONValue
    /// Swagger 2.0 in gnostic's protobuf encoding.
    let v2Protobuf: [UInt8]
    /// OpenAPI 3.0 of `stageflow.dev/v1alpha1`.
    let v3: JSONValue
    /// The `/openapi/v3` discovery body.
    let v3Discovery: JSONValue

    init(resources: [CustomResource]) {
        v2 = Self.document(resources, flavor: .v2)
        v2Protobuf = GnosticOpenAPIV2.encode(v2)
        v3 = Self.document(resources, flavor: .v3)
        let groupVersion = "apis/\(ResourceKind.group)/\(ResourceKind.version)"
        v3Discovery = [
            "paths": [
                groupVersion: [
                    "serverRelativeURL": .string("/openapi/v3/\(groupVersion)?hash=\(Self.hash(v3))")
                ]
            ]
        ]
    }

    private static func document(_ resources: [CustomResource], flavor: OpenAPIFlavor) -> JSONValue {
        var definitions = MetaDefinitions.all(flavor)
        var paths: [String: JSONValue] = [:]
        for resource in resources {
            definitions[ResourceOperations.definitionName(resource.kind)] = definition(resource, flavor: flavor)
            definitions[ResourceOperations.definitionName(resource.kind, list: true)] = listDefinition(
                resource.kind, flavor: flavor)
            paths.merge(ResourceOperations(kind: resource.kind, flavor: flavor).paths()) { _, new in new }
        }
        let info: JSONValue = ["title": "Stageflow", "version": .string(ResourceKind.version)]
        switch flavor {
        case .v2:
            return ["swagger": "2.0", "info": info, "paths": .object(paths), "definitions": .object(definitions)]
        case .v3:
            return [
                "openapi": "3.0.0", "info": info, "paths": .object(paths),
                "components": ["schemas": .object(definitions)],
            ]
        }
    }

    /// The kind's schema with the standard `apiVersion`, `kind` and `metadata` members and its GVK.
    private static func definition(_ resource: CustomResource, flavor: OpenAPIFlavor) -> JSONValue {
        var schema = flavor.publishing(resource.schema)
        schema["properties"]?["apiVersion"] = [
            "type": "string", "description": .string(MetaDefinitions.apiVersionDescription),
        ]
        schema["properties"]?["kind"] = ["type": "string", "description": .string(MetaDefinitions.kindDescription)]
        schema["properties"]?["metadata"] = flavor.reference(
            MetaDefinitions.objectMeta,
            description: "Standard object's metadata. More info: "
                + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")
        schema["x-kubernetes-group-version-kind"] = OpenAPIFlavor.groupVersionKinds(
            group: resource.kind.group, version: resource.kind.version, kind: resource.kind.kind)
        return schema
    }

    private static func listDefinition(_ kind: ResourceKind, flavor: OpenAPIFlavor) -> JSONValue {
        [
            "type": "object",
            "description": .string("\(kind.listKind) is a list of \(kind.kind)"),
            "required": ["items"],
            "properties": [
                "apiVersion": ["type": "string", "description": .string(MetaDefinitions.apiVersionDescription)],
                "items": [
                    "type": "array", "items": flavor.reference(ResourceOperations.definitionName(kind)),
                    "description": .string("List of \(kind.plural)."),
                ],
                "kind": ["type": "string", "description": .string(MetaDefinitions.kindDescription)],
                "metadata": flavor.reference(MetaDefinitions.listMeta, description: "Standard list metadata."),
            ],
            "x-kubernetes-group-version-kind": OpenAPIFlavor.groupVersionKinds(
                group: kind.group, version: kind.version, kind: kind.listKind),
        ]
    }

    /// FNV-1a (64 bit) of the canonical JSON, in upper-case hex: changes whenever the document does, which is all
    /// a cache key needs.
    static func hash(_ document: JSONValue) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in document.jsonData() {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
