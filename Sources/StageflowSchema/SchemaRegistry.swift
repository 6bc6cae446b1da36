import StageflowAPI

/// The schemas of every kind Stageflow serves, read from the CustomResourceDefinitions in `crds/` (one source of
/// truth for the API server, clients and a real Kubernetes cluster): validation with pruning, defaulting, printer
/// columns and the OpenAPI documents `kubectl` reads.
///
/// A write goes through, in this order: `applyDefaults`, then `validate` (which also prunes), then the store
/// gets `ValidationResult.object`.
public struct SchemaRegistry: Sendable {
    /// The CRDs, in the order of `ResourceKind.all`.
    public let crds: [JSONValue]
    private let resources: [String: CustomResource]
    private let documents: OpenAPIDocuments

    /// The registry of the CRDs built into this binary. They are checked by the tests, so failing to read
    /// them is a programming error and stops the process.
    public static let builtin: SchemaRegistry = {
        do {
            return try SchemaRegistry(crds: embeddedCRDs())
        } catch {
            fatalError("the CustomResourceDefinitions built into Stageflow are broken: \(error)")
        }
    }()

    /// Parses the CRD files embedded in this module (`Sources/StageflowSchema/CRDs`).
    public static func embeddedCRDs() throws -> [JSONValue] {
        let files: [(String, [UInt8])] = [
            ("scanjobs.stageflow.dev.yaml", PackageResources.scanjobs_stageflow_dev_yaml),
            ("scanschedules.stageflow.dev.yaml", PackageResources.scanschedules_stageflow_dev_yaml),
            ("scanners.stageflow.dev.yaml", PackageResources.scanners_stageflow_dev_yaml),
            ("leases.stageflow.dev.yaml", PackageResources.leases_stageflow_dev_yaml),
        ]
        return try files.map { name, bytes in
            do {
                return try JSONValue.parseYAML(String(decoding: bytes, as: UTF8.self))
            } catch {
                throw SchemaError("\(name): \(error)")
            }
        }
    }

    /// Builds a registry from CRDs, which must define exactly the kinds of `ResourceKind.all`.
    public init(crds: [JSONValue]) throws {
        var resources: [String: CustomResource] = [:]
        for definition in crds {
            let resource = try CustomResource(definition: definition)
            guard resources[resource.kind.kind] == nil else {
                throw SchemaError("two CustomResourceDefinitions define \(resource.kind.kind)")
            }
            resources[resource.kind.kind] = resource
        }
        let ordered = try ResourceKind.all.map { kind in
            guard let resource = resources[kind.kind] else {
                throw SchemaError("no CustomResourceDefinition defines \(kind.kind)")
            }
            return resource
        }
        self.crds = ordered.map(\.definition)
        self.resources = resources
        self.documents = OpenAPIDocuments(resources: ordered)
    }

    private func resource(_ kind: ResourceKind) -> CustomResource {
        guard let resource = resources[kind.kind] else {
            preconditionFailure("ResourceKind \(kind.kind) has no CustomResourceDefinition")
        }
        return resource
    }

    /// The CustomResourceDefinition of a kind, as `kubectl apply -f crds/` would send it.
    public func crd(for kind: ResourceKind) -> JSONValue {
        resource(kind).definition
    }

    /// The `openAPIV3Schema` of a kind's served version.
    public func schema(for kind: ResourceKind) -> JSONValue {
        resource(kind).schema
    }

    /// Validates a whole object (`apiVersion`, `kind`, `metadata`, `spec`, `status`) against its kind's schema,
    /// reporting every violation with Kubernetes' field paths, reasons and messages. Unknown fields are pruned
    /// from `ValidationResult.object` and reported according to `unknownFields`. `metadata` is checked as an
    /// object of ObjectMeta fields only; names and labels are for the server to check.
    public func validate(_ object: JSONValue, kind: ResourceKind, unknownFields: UnknownFieldPolicy) -> ValidationResult
    {
        var walker = SchemaWalker()
        let pruned = walker.walk(object, resource(kind).root, at: .root)
        var causes = walker.causes
        var warnings: [String] = []
        for field in walker.unknownFields {
            let message = "unknown field \"\(field)\""
            switch unknownFields {
            case .strict: causes.append(APIStatus.Cause(reason: "FieldValueInvalid", message: message, field: field))
            case .warn: warnings.append(message)
            case .ignore: break
            }
        }
        return ValidationResult(
            object: pruned, causes: causes, unknownFields: walker.unknownFields, warnings: warnings,
            policy: unknownFields)
    }

    /// Applies the schema's `default`s as Kubernetes does (see the CRDs: `spec.deadlines`, the history limits of
    /// a ScanSchedule, …); values already given are never changed.
    public func applyDefaults(_ object: JSONValue, kind: ResourceKind) -> JSONValue {
        resource(kind).root.applyingDefaults(to: object)
    }

    /// The `additionalPrinterColumns` of a kind, for Table output.
    public func printerColumns(for kind: ResourceKind) -> [PrinterColumn] {
        resource(kind).printerColumns
    }

    /// The Swagger 2.0 document served at `/openapi/v2` as JSON (`Accept: application/json`): definitions
    /// `dev.stageflow.v1alpha1.ScanJob` and so on, with paths whose writes declare `fieldValidation`.
    public func openAPIV2() -> JSONValue {
        documents.v2
    }

    /// The same Swagger 2.0 document in the protobuf encoding `kubectl` asks for
    /// (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`); `kubectl apply` and `create`
    /// fail to start their client-side validation unless `/openapi/v2` answers with it.
    public func openAPIV2Protobuf() -> [UInt8] {
        documents.v2Protobuf
    }

    /// The body of `/openapi/v3`: `{"paths": {"apis/stageflow.dev/v1alpha1": {"serverRelativeURL": …}}}`, the
    /// URL carrying a content hash so clients may cache the group-version document for good.
    public func openAPIV3Paths() -> JSONValue {
        documents.v3Discovery
    }

    /// The OpenAPI 3.0 document of a group-version, served at the `serverRelativeURL` of `openAPIV3Paths()`;
    /// accepts `stageflow.dev/v1alpha1`, `apis/stageflow.dev/v1alpha1` or the full `/openapi/v3/…` path, and
    /// answers `nil` for any other group-version.
    public func openAPIV3(groupVersion: String) -> JSONValue? {
        var path = Substring(groupVersion)
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        for prefix in ["/", "openapi/v3/", "apis/"] where path.hasPrefix(prefix) {
            path = path.dropFirst(prefix.count)
        }
        guard path == "\(ResourceKind.group)/\(ResourceKind.version)" else { return nil }
        return documents.v3
    }
}
