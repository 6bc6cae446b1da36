import StageflowAPI
import StageflowSchema
import StageflowStore

/// The synchronous steps every write takes before an object is stored, in kube-apiserver's order: check that the
/// body is of the URL's kind, apply the schema's defaults, prune and validate against the schema, and check the
/// metadata and the scanner selection. Any failure throws the `Status` to answer with, so nothing is stored.
/// `WriteChain` runs these, then the rules that depend on the writer and the target-URL policy.
struct ObjectAdmission: Sendable {
    /// An object ready to store, with the warnings for the `Warning` header.
    struct Admitted: Sendable {
        var object: JSONValue
        var warnings: [String]
    }

    let kind: ResourceKind
    let schemas: SchemaRegistry
    /// The registered scanners, for kinds that select scanners.
    var scanners: [String: ScannerSpec] = [:]
    /// The scanner controllers running, for warnings about scanners they would run.
    var runningControllers: Set<String> = []

    /// 400 unless `apiVersion` and `kind` are present and name the URL's resource.
    func checkTypeMeta(_ object: JSONValue) throws {
        guard let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw APIStatus.badRequest("Object 'apiVersion' is missing in the request body; expected \"\(kind.apiVersion)\"")
        }
        guard let kindName = object["kind"]?.stringValue, !kindName.isEmpty else {
            throw APIStatus.badRequest("Object 'Kind' is missing in the request body; expected \"\(kind.kind)\"")
        }
        guard apiVersion == kind.apiVersion else {
            throw APIStatus.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(kind.apiVersion))")
        }
        guard kindName == kind.kind else {
            throw APIStatus.badRequest("the kind in the data (\(kindName)) does not match the expected kind (\(kind.kind))")
        }
    }

    /// 400 when the body names another object than the URL; fills in a missing name or namespace.
    func bind(_ object: JSONValue, name: String?, namespace: String?) throws -> JSONValue {
        try MetadataValidation.checkTypes(object, kind: kind)
        var object = object
        var metadata = object["metadata"]?.objectValue ?? [:]
        if let name {
            let given = metadata["name"]?.stringValue ?? ""
            if given.isEmpty {
                metadata["name"] = .string(name)
            } else if given != name {
                throw APIStatus.badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
            }
        }
        if kind.namespaced {
            let given = metadata["namespace"]?.stringValue ?? ""
            if let namespace {
                if given.isEmpty {
                    metadata["namespace"] = .string(namespace)
                } else if given != namespace {
                    throw APIStatus.badRequest(
                        "the namespace of the provided object does not match the namespace sent on the request")
                }
            }
        } else {
            metadata.removeValue(forKey: "namespace")
        }
        object["metadata"] = .object(metadata)
        return object
    }

    /// Defaults, prunes and validates; every schema and metadata violation is reported at once (422), unknown
    /// fields under Strict validation as 400 (kube-apiserver rejects them while decoding).
    func admit(_ object: JSONValue, fieldValidation: WriteParameters.FieldValidation, current: JSONValue? = nil) throws
        -> Admitted
    {
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let defaulted = schemas.applyDefaults(object, kind: kind)
        let result = schemas.validate(defaulted, kind: kind, unknownFields: fieldValidation.schemaPolicy)
        if fieldValidation == .strict, !result.unknownFields.isEmpty, let failure = result.failure(kind: kind, name: name) {
            throw failure
        }
        var causes = result.causes + MetadataValidation.causes(of: result.object, kind: kind)
        causes += ScannerSelectionValidation.causes(of: result.object, kind: kind, catalog: scanners)
        causes += ScheduleValidation.causes(of: result.object, kind: kind)
        if kind == .scanJob, let current {
            causes += ScanJobImmutability.causes(current: current, proposed: result.object)
        }
        if !causes.isEmpty { throw APIStatus.invalid(kind, name, causes: causes) }
        let skipped = ScannerSelectionValidation.warnings(of: result.object, kind: kind, catalog: scanners, running: runningControllers)
        return Admitted(object: result.object, warnings: result.warnings + skipped)
    }

    /// The object as the store will keep it after a write of `proposed` over `current`: server-owned metadata and
    /// (for the main resource) `status` come from `current`; the status subresource changes only `status`.
    func combined(current: JSONValue, proposed: JSONValue, subresource: Subresource) -> JSONValue {
        switch subresource {
        case .status:
            var result = current
            result["status"] = proposed["status"]
            if proposed["status"] == nil, case .object(var members) = result {
                members.removeValue(forKey: "status")
                result = .object(members)
            }
            return result
        case .main:
            guard case .object(var members) = proposed else { return proposed }
            var metadata = current["metadata"]?.objectValue ?? [:]
            let incoming = proposed["metadata"]?.objectValue ?? [:]
            for field in ["labels", "annotations", "finalizers", "ownerReferences", "managedFields"] {
                if let value = incoming[field], !value.isNull {
                    metadata[field] = value
                } else {
                    metadata.removeValue(forKey: field)
                }
            }
            members["metadata"] = .object(metadata)
            members["apiVersion"] = .string(kind.apiVersion)
            members["kind"] = .string(kind.kind)
            members["status"] = current["status"]
            if current["status"] == nil { members.removeValue(forKey: "status") }
            return .object(members)
        }
    }
}

extension WriteParameters.FieldValidation {
    /// The schema module's name for the same policy.
    var schemaPolicy: UnknownFieldPolicy {
        switch self {
        case .strict: return .strict
        case .warn: return .warn
        case .ignore: return .ignore
        }
    }
}
