import Foundation
import Hummingbird
import StageflowAPI
import StageflowStore

extension ResourceHandler {
    /// POST: create an object (or, with `generateName`, one with a generated name).
    func create(_ request: Request, kind: ResourceKind, namespace: String?, query: QueryParameters) async throws
        -> Response
    {
        let shape = try responseShape(request)
        let parameters = try WriteParameters(query: query, userAgent: request.headers[.userAgent])
        let format = try RequestDocument.format(contentType: request.headers[.contentType])
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        let admission = admission(kind)
        var object = try RequestDocument.object(from: data, format: format)
        try admission.checkTypeMeta(object)
        object = try admission.bind(object, name: nil, namespace: namespace)
        if let version = object[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty {
            throw APIStatus.badRequest("resourceVersion should not be set on objects to be created")
        }
        object = Self.withoutStatus(object)
        let generateName = object[path: ["metadata", "generateName"]]?.stringValue ?? ""
        let givenName = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let generated = givenName.isEmpty && !generateName.isEmpty
        let fieldManager = FieldManager(kind: kind)
        var attempt = 0
        while true {
            attempt += 1
            var candidate = object
            if generated {
                candidate[path: "metadata", "name"] = .string(GeneratedName.make(prefix: generateName))
            }
            var admitted = try admission.admit(candidate, fieldValidation: parameters.fieldValidation)
            let entries = fieldManager.recordingUpdate(
                old: nil, new: admitted.object, entries: [], manager: parameters.fieldManager ?? "unknown",
                subresource: .main, now: Timestamp.now())
            admitted.object[path: "metadata", "managedFields"] = entries.isEmpty ? nil : .array(entries.map(\.json))
            do {
                let created = try await store.create(kind, admitted.object, dryRun: parameters.dryRun)
                AuditRecord.current?.name = created[path: ["metadata", "name"]]?.stringValue
                return try render(created, kind: kind, shape: shape, query: query, status: .created, warnings: admitted.warnings)
            } catch let status as APIStatus where status.reason == "AlreadyExists" && generated && attempt < 8 {
                continue
            }
        }
    }

    /// Creates a ScanJob the workbench's playground built, through the same admission as a POST to the API
    /// (defaults, schema validation, scanner selection checks, generated names); errors are `APIStatus` values
    /// with causes naming the fields. The target URLs are checked against the URL policy first, as for the API.
    func createFromWorkbench(_ object: JSONValue, namespace: String) async throws -> JSONValue {
        let verdicts = TargetURLVerdicts()
        await configuration.targetURLs.check(object, into: verdicts)
        return try await TargetURLVerdicts.$current.withValue(verdicts) {
            try await admitFromWorkbench(object, namespace: namespace)
        }
    }

    private func admitFromWorkbench(_ object: JSONValue, namespace: String) async throws -> JSONValue {
        let kind = ResourceKind.scanJob
        try await scannerCatalog.refresh(from: store)
        let admission = admission(kind)
        try admission.checkTypeMeta(object)
        let bound = try admission.bind(object, name: nil, namespace: namespace)
        let generateName = bound[path: ["metadata", "generateName"]]?.stringValue ?? ""
        let generated = (bound[path: ["metadata", "name"]]?.stringValue ?? "").isEmpty && !generateName.isEmpty
        var attempt = 0
        while true {
            attempt += 1
            var candidate = bound
            if generated { candidate[path: "metadata", "name"] = .string(GeneratedName.make(prefix: generateName)) }
            var admitted = try admission.admit(candidate, fieldValidation: .strict)
            let entries = FieldManager(kind: kind).recordingUpdate(
                old: nil, new: admitted.object, entries: [], manager: "stageflow-workbench", subresource: .main,
                now: Timestamp.now())
            admitted.object[path: "metadata", "managedFields"] = entries.isEmpty ? nil : .array(entries.map(\.json))
            do {
                return try await store.create(kind, admitted.object)
            } catch let status as APIStatus where status.reason == "AlreadyExists" && generated && attempt < 8 {
                continue
            }
        }
    }

    /// PUT: replace an object or its status; `metadata.resourceVersion` is required and must be current.
    func update(
        _ request: Request, kind: ResourceKind, namespace: String?, name: String, subresource: Subresource,
        query: QueryParameters
    ) async throws -> Response {
        let shape = try responseShape(request)
        let parameters = try WriteParameters(query: query, userAgent: request.headers[.userAgent])
        let format = try RequestDocument.format(contentType: request.headers[.contentType])
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        let admission = admission(kind)
        var object = try RequestDocument.object(from: data, format: format)
        try admission.checkTypeMeta(object)
        object = try admission.bind(object, name: name, namespace: namespace)
        // As for custom resources in Kubernetes, an update must say which version it replaces.
        guard let version = object[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty else {
            throw APIStatus.invalid(
                kind, name,
                causes: [
                    .init(
                        reason: "FieldValueInvalid", message: "Invalid value: 0: must be specified for an update",
                        field: "metadata.resourceVersion")
                ])
        }
        let expected = try ResourceStore.parseRevision(version)
        let proposed = object
        var warnings: [String] = []
        let updated = try await store.modify(
            kind, namespace: namespace, name: name, subresource: subresource, dryRun: parameters.dryRun,
            retryOnConflict: false
        ) { current in
            let currentVersion = current[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            guard currentVersion == String(expected) else {
                throw APIStatus.conflict(
                    kind, name, "the object has been modified; please apply your changes to the latest version and try again")
            }
            let admitted = try self.admitUpdate(
                current: current, proposed: proposed, kind: kind, subresource: subresource, parameters: parameters)
            warnings = admitted.warnings
            return admitted.object
        }
        return try render(updated, kind: kind, shape: shape, query: query, warnings: warnings)
    }

    /// Defaults and validates the object a write of `proposed` over `current` stores, and records the write in
    /// `managedFields` (status writes leave them alone: the store keeps only `status` from them).
    func admitUpdate(
        current: JSONValue, proposed: JSONValue, kind: ResourceKind, subresource: Subresource,
        parameters: WriteParameters
    ) throws -> ObjectAdmission.Admitted {
        let admission = admission(kind)
        if let uid = proposed[path: ["metadata", "uid"]]?.stringValue, !uid.isEmpty,
            let currentUID = current[path: ["metadata", "uid"]]?.stringValue, uid != currentUID
        {
            let name = current[path: ["metadata", "name"]]?.stringValue ?? ""
            throw APIStatus.conflict(
                kind, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(currentUID)")
        }
        let candidate = admission.combined(current: current, proposed: proposed, subresource: subresource)
        var admitted = try admission.admit(
            candidate, fieldValidation: parameters.fieldValidation, current: subresource == .main ? current : nil)
        guard subresource == .main else { return admitted }
        let clientEntries = proposed[path: ["metadata", "managedFields"]]
        let entries =
            clientEntries.map { $0.isNull ? [] : ManagedFieldsEntry.entries(of: proposed) }
            ?? ManagedFieldsEntry.entries(of: current)
        let recorded = FieldManager(kind: kind).recordingUpdate(
            old: current, new: admitted.object, entries: entries, manager: parameters.fieldManager ?? "unknown",
            subresource: subresource, now: Timestamp.now())
        admitted.object[path: "metadata", "managedFields"] = recorded.isEmpty ? nil : .array(recorded.map(\.json))
        return admitted
    }

    static func withoutStatus(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members.removeValue(forKey: "status")
        return .object(members)
    }
}
