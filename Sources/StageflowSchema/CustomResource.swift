import StageflowAPI

/// One CustomResourceDefinition checked against its `ResourceKind` and compiled for the served version.
struct CustomResource: Sendable {
    /// The kind the CRD defines.
    let kind: ResourceKind
    /// The CRD as written.
    let definition: JSONValue
    /// `openAPIV3Schema` of the served version, as written.
    let schema: JSONValue
    /// The compiled schema, with `metadata` widened to the fields of ObjectMeta.
    let root: StructuralSchema
    /// `additionalPrinterColumns` of the served version.
    let printerColumns: [PrinterColumn]

    /// The fields of `metadata` a Kubernetes API server decodes; any other field in `metadata` is unknown.
    static let objectMetaFields = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    /// Reads a CRD, checking that its group, names, scope and version agree with a kind of `ResourceKind.all`.
    init(definition: JSONValue) throws {
        let crdName = definition["metadata"]?["name"]?.stringValue ?? "<unnamed>"
        func fail(_ problem: String) -> SchemaError { SchemaError("CustomResourceDefinition \(crdName): \(problem)") }

        guard definition["apiVersion"]?.stringValue == "apiextensions.k8s.io/v1",
            definition["kind"]?.stringValue == "CustomResourceDefinition"
        else { throw fail("not an apiextensions.k8s.io/v1 CustomResourceDefinition") }
        guard let spec = definition["spec"], let names = spec["names"],
            let kindName = names["kind"]?.stringValue,
            let kind = ResourceKind.all.first(where: { $0.kind == kindName })
        else { throw fail("spec.names.kind is not a kind Stageflow serves") }
        guard spec["group"]?.stringValue == kind.group, crdName == kind.qualifiedName,
            names["plural"]?.stringValue == kind.plural, names["singular"]?.stringValue == kind.singular,
            names["listKind"]?.stringValue == kind.listKind,
            (names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? []) == kind.shortNames,
            spec["scope"]?.stringValue == (kind.namespaced ? "Namespaced" : "Cluster")
        else { throw fail("group, names or scope differ from ResourceKind.\(kind.singular)") }
        guard let version = spec["versions"]?.arrayValue?.first(where: { $0["name"]?.stringValue == kind.version }),
            version["served"]?.boolValue == true, version["storage"]?.boolValue == true
        else { throw fail("version \(kind.version) must be served and stored") }
        guard let schema = version["schema"]?["openAPIV3Schema"] else {
            throw fail("version \(kind.version) has no schema.openAPIV3Schema")
        }

        var widened = schema
        var metadata: [String: JSONValue] = [:]
        for field in Self.objectMetaFields { metadata[field] = ["x-kubernetes-preserve-unknown-fields": true] }
        widened["properties"]?["metadata"] = ["type": "object", "properties": .object(metadata)]

        self.kind = kind
        self.definition = definition
        self.schema = schema
        self.root = try StructuralSchema(widened, path: "\(crdName) openAPIV3Schema")
        self.printerColumns = try (version["additionalPrinterColumns"]?.arrayValue ?? []).map(
            PrinterColumn.init(crdColumn:))
    }
}
