import Foundation
import StageflowAPI
import StageflowSchema
import StageflowStore

/// The one path every create, update, patch and apply takes to the store — from the Kubernetes API, the job
/// API, the workbench and the in-process controllers alike — so that each is admitted the same way:
///
/// decode (by the route) → type and name binding → defaults → schema validation and pruning → metadata and
/// scanner-selection rules → the rules that depend on the writer (`WriterRules`) → target-URL policy (names
/// resolved only when the target changed) → `managedFields` → creation rate limit → store.
///
/// Updates run the steps inside the store's compare-and-swap (`ResourceStore.modify`): the transform may await
/// name lookups without holding anything, and a write that lost the race is admitted again on the newer object
/// with the URL verdicts already made. `dryRun` runs every step and stores nothing.
struct WriteChain: Sendable {
    let store: ResourceStore
    let schemas: SchemaRegistry
    let targetURLs: TargetURLAdmission
    /// Registered scanners, refreshed before writes of kinds that select them.
    let scannerCatalog: ScannerCatalogCache
    /// The per-user limit on ScanJob creations; throws 429.
    let limitCreation: @Sendable (Principal) throws -> Void

    /// The synchronous admission steps for a kind, with a fresh scanner catalog where the kind selects scanners.
    func admission(for kind: ResourceKind) async throws -> ObjectAdmission {
        var admission = ObjectAdmission(kind: kind, schemas: schemas)
        if ScannerSelectionValidation.scannersPath(kind) != nil {
            try await scannerCatalog.refresh(from: store)
            admission.scanners = scannerCatalog.snapshot
            admission.runningControllers = scannerCatalog.runningControllers
        }
        return admission
    }

    // MARK: Create

    /// Creates `object` (with `metadata.generateName`, under a generated name). `uid` fixes the new object's
    /// uid (an upload staged under it); otherwise one is chosen here, before admission, so rules can check keys
    /// derived from it.
    func create(_ object: JSONValue, _ write: WriteRequest, uid: String? = nil) async throws -> WriteOutcome {
        let admission = try await admission(for: write.kind)
        try admission.checkTypeMeta(object)
        var object = try admission.bind(object, name: nil, namespace: write.namespace)
        if let version = object[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty {
            throw APIStatus.badRequest("resourceVersion should not be set on objects to be created")
        }
        object = Self.withoutStatus(object)
        let generateName = object[path: ["metadata", "generateName"]]?.stringValue ?? ""
        let generated = (object[path: ["metadata", "name"]]?.stringValue ?? "").isEmpty && !generateName.isEmpty
        let uid = uid ?? UUID().uuidString.lowercased()
        let verdicts = TargetURLVerdicts()
        var limited = false
        for attempt in 1...8 {
            var candidate = object
            if generated { candidate[path: "metadata", "name"] = .string(GeneratedName.make(prefix: generateName)) }
            var admitted = try await admit(candidate, current: nil, write: write, admission: admission, uid: uid, verdicts: verdicts)
            let entries = FieldManager(kind: write.kind).recordingUpdate(
                old: nil, new: admitted.object, entries: [], manager: write.fieldManager, subresource: .main,
                now: Timestamp.now())
            admitted.object[path: "metadata", "managedFields"] = entries.isEmpty ? nil : .array(entries.map(\.json))
            if write.kind == .scanJob, !write.dryRun, write.countsCreation, !limited {
                try limitCreation(write.principal)
                limited = true
            }
            do {
                let created = try await store.create(write.kind, admitted.object, dryRun: write.dryRun, uid: uid)
                return WriteOutcome(object: created, warnings: admitted.warnings, created: true)
            } catch let status as APIStatus where status.reason == "AlreadyExists" && generated && attempt < 8 {
                continue
            }
        }
        throw APIStatus.conflict(write.kind, generateName, "no free generated name was found; try again")
    }

    // MARK: Update

    /// Replaces an object (or its status) with `proposed`, whose `metadata.resourceVersion` must be current.
    func update(_ proposed: JSONValue, name: String, _ write: WriteRequest) async throws -> WriteOutcome {
        let admission = try await admission(for: write.kind)
        try admission.checkTypeMeta(proposed)
        let proposed = try admission.bind(proposed, name: name, namespace: write.namespace)
        // As for custom resources in Kubernetes, an update must say which version it replaces.
        guard let version = proposed[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty else {
            throw APIStatus.invalid(
                write.kind, name,
                causes: [
                    .init(
                        reason: "FieldValueInvalid", message: "Invalid value: 0: must be specified for an update",
                        field: "metadata.resourceVersion")
                ])
        }
        let expected = String(try ResourceStore.parseRevision(version))
        return try await modify(name: name, write, admission: admission, retryOnConflict: false) { current in
            guard current[path: ["metadata", "resourceVersion"]]?.stringValue == expected else {
                throw APIStatus.conflict(
                    write.kind, name, "the object has been modified; please apply your changes to the latest version and try again")
            }
            return proposed
        }
    }

    /// Changes an object by `change`, which computes the proposed object from the current one (a merge or JSON
    /// patch); it runs again on the newer object when another write lands first.
    func patch(name: String, _ write: WriteRequest, change: @escaping @Sendable (JSONValue) throws -> JSONValue) async throws
        -> WriteOutcome
    {
        let admission = try await admission(for: write.kind)
        return try await modify(name: name, write, admission: admission, retryOnConflict: true) { current in
            var proposed = try change(current)
            guard case .object = proposed else {
                throw APIStatus.badRequest("the patched object must be a JSON object, not \(proposed.typeName)")
            }
            try admission.checkTypeMeta(proposed)
            proposed = try admission.bind(proposed, name: name, namespace: write.namespace)
            // A resourceVersion in the patch is a precondition.
            let currentVersion = current[path: ["metadata", "resourceVersion"]]?.stringValue
            if let version = proposed[path: ["metadata", "resourceVersion"]]?.stringValue, version != currentVersion {
                _ = try ResourceStore.parseRevision(version)
                throw APIStatus.conflict(
                    write.kind, name, "the object has been modified; please apply your changes to the latest version and try again")
            }
            return proposed
        }
    }

    /// Server-side apply: creates the object when it does not exist, otherwise merges the applied configuration
    /// into it (see `FieldManager`). Re-applying an unchanged configuration stores nothing.
    func apply(_ applied: JSONValue, name: String, _ write: WriteRequest) async throws -> WriteOutcome {
        let admission = try await admission(for: write.kind)
        try admission.checkTypeMeta(applied)
        let applied = try admission.bind(applied, name: name, namespace: write.namespace)
        let fieldManager = FieldManager(kind: write.kind)
        for _ in 0..<4 {
            do {
                return try await modify(name: name, write, admission: admission, retryOnConflict: true, recordUpdate: false) {
                    current in
                    try fieldManager.apply(
                        applied, to: current, manager: write.fieldManager, force: write.force, subresource: write.subresource,
                        now: Timestamp.now())
                }
            } catch let status as APIStatus where status.code == 404 && write.subresource == .main {
                // Not there yet: an apply creates it.
            }
            let object = try fieldManager.apply(
                Self.withoutStatus(applied), to: nil, manager: write.fieldManager, force: write.force, subresource: .main,
                now: Timestamp.now())
            do {
                return try await createApplied(object, write, admission: admission)
            } catch let status as APIStatus where status.reason == "AlreadyExists" {
                // Created concurrently: apply to it instead.
                continue
            }
        }
        throw APIStatus.conflict(write.kind, name, "the object keeps changing; try again")
    }

    private func createApplied(_ object: JSONValue, _ write: WriteRequest, admission: ObjectAdmission) async throws
        -> WriteOutcome
    {
        let uid = UUID().uuidString.lowercased()
        let admitted = try await admit(object, current: nil, write: write, admission: admission, uid: uid, verdicts: TargetURLVerdicts())
        if write.kind == .scanJob, !write.dryRun, write.countsCreation { try limitCreation(write.principal) }
        let created = try await store.create(write.kind, admitted.object, dryRun: write.dryRun, uid: uid)
        return WriteOutcome(object: created, warnings: admitted.warnings, created: true)
    }

    /// The compare-and-swap loop shared by update, patch and apply: `propose` gives the object the writer wants
    /// from the current one; it is combined with what the server owns, admitted, and (unless `recordUpdate` is
    /// off, as for apply, which records its own entry) recorded in `managedFields`.
    private func modify(
        name: String, _ write: WriteRequest, admission: ObjectAdmission, retryOnConflict: Bool, recordUpdate: Bool = true,
        propose: @escaping (JSONValue) async throws -> JSONValue
    ) async throws -> WriteOutcome {
        let verdicts = TargetURLVerdicts()
        var warnings: [String] = []
        let written = try await store.modify(
            write.kind, namespace: write.namespace, name: name, subresource: write.subresource, dryRun: write.dryRun,
            retryOnConflict: retryOnConflict
        ) { current in
            let proposed = try await propose(current)
            if let uid = proposed[path: ["metadata", "uid"]]?.stringValue, !uid.isEmpty,
                let currentUID = current[path: ["metadata", "uid"]]?.stringValue, uid != currentUID
            {
                throw APIStatus.conflict(
                    write.kind, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(currentUID)")
            }
            let candidate = admission.combined(current: current, proposed: proposed, subresource: write.subresource)
            var admitted = try await admit(
                candidate, current: current, write: write, admission: admission,
                uid: current[path: ["metadata", "uid"]]?.stringValue ?? "", verdicts: verdicts)
            warnings = admitted.warnings
            guard recordUpdate, write.subresource == .main else { return admitted.object }
            let clientEntries = proposed[path: ["metadata", "managedFields"]]
            let entries =
                clientEntries.map { $0.isNull ? [] : ManagedFieldsEntry.entries(of: proposed) }
                ?? ManagedFieldsEntry.entries(of: current)
            let recorded = FieldManager(kind: write.kind).recordingUpdate(
                old: current, new: admitted.object, entries: entries, manager: write.fieldManager,
                subresource: write.subresource, now: Timestamp.now())
            admitted.object[path: "metadata", "managedFields"] = recorded.isEmpty ? nil : .array(recorded.map(\.json))
            return admitted.object
        }
        return WriteOutcome(object: written, warnings: warnings, created: false)
    }

    // MARK: Admission

    /// Every admission step after decoding, on the object the store would keep. The synchronous schema and
    /// metadata checks come first, so a request refused by them resolves no name.
    func admit(
        _ candidate: JSONValue, current: JSONValue?, write: WriteRequest, admission: ObjectAdmission, uid: String,
        verdicts: TargetURLVerdicts
    ) async throws -> ObjectAdmission.Admitted {
        let name = candidate[path: ["metadata", "name"]]?.stringValue ?? ""
        let admitted = try admission.admit(
            candidate, fieldValidation: write.fieldValidation, current: write.subresource == .main ? current : nil)
        try WriterRules.check(admitted.object, current: current, write: write, uid: uid)
        let causes = await targetURLs.causes(of: admitted.object, kind: write.kind, current: current, verdicts: verdicts)
        if !causes.isEmpty { throw APIStatus.invalid(write.kind, name, causes: causes) }
        return admitted
    }

    static func withoutStatus(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members.removeValue(forKey: "status")
        return .object(members)
    }
}

extension WriteChain {
    /// The chain of a server: its store and schemas, its URL policy, and the access rules' creation limit
    /// (which the controllers, creating jobs on a schedule's behalf, are not subject to).
    init(store: ResourceStore, schemas: SchemaRegistry, configuration: APIServerConfiguration, access: RequestAccess) {
        self.init(
            store: store, schemas: schemas, targetURLs: configuration.targetURLs, scannerCatalog: ScannerCatalogCache(),
            limitCreation: { principal in
                guard !principal.isController else { return }
                try access.limitCreation(principal)
            })
    }
}
