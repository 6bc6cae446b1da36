import Logging
import StageflowAPI

/// One look at one object by the garbage collector: as an owner being deleted with a propagation finalizer, and
/// as a dependent whose owners may be gone.
struct GarbageCollectionReconciler: Reconciler {
    let client: any ResourceClient
    /// The informers by kind (plural), whose caches hold every object collected.
    let informers: [String: Informer]
    let graph: OwnershipGraph
    let logger: Logger

    /// How soon an owner waiting in foreground deletion is looked at again even without news of its dependents.
    static let foregroundRecheck: Duration = .seconds(60)

    func reconcile(_ ref: ObjectRef) async throws -> ReconcileResult {
        guard let object = informers[ref.kind.plural]?.cache.get(ref.name),
            let uid = OwnershipGraph.uid(of: object)
        else { return .done }
        let finalizers = object[path: ["metadata", "finalizers"]]?.arrayValue ?? []
        if object[path: ["metadata", "deletionTimestamp"]] != nil {
            if finalizers.contains(.string(DeleteOptions.orphanFinalizer)) {
                try await orphanDependents(of: uid)
                try await removeFinalizer(DeleteOptions.orphanFinalizer, from: object, ref: ref)
                return .done
            }
            if finalizers.contains(.string(DeleteOptions.foregroundFinalizer)) {
                return try await deleteDependentsFirst(object, uid: uid, ref: ref)
            }
            // Being deleted already: its own finalizers decide the rest.
            return .done
        }
        return try await collectIfOrphaned(object, ref: ref)
    }

    // MARK: Owners

    /// Removes the owner reference to `uid` from every dependent.
    private func orphanDependents(of uid: String) async throws {
        for dependent in graph.dependents(of: uid) {
            guard var object = informers[dependent.kind.plural]?.cache.get(dependent.name) else { continue }
            let references = object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            let kept = references.filter { $0["uid"]?.stringValue != uid }
            guard kept.count != references.count else { continue }
            object["metadata"]?["ownerReferences"] = kept.isEmpty ? nil : .array(kept)
            try await ignoringGone { _ = try await client.update(dependent.kind, object) }
            logger.info("orphaned \(dependent): its owner is deleted with propagationPolicy Orphan")
        }
    }

    /// Deletes every dependent of an owner in foreground deletion, and lets the owner go once no dependent that
    /// blocks its deletion is left.
    private func deleteDependentsFirst(_ owner: JSONValue, uid: String, ref: ObjectRef) async throws -> ReconcileResult {
        var blocking = 0
        for dependent in graph.dependents(of: uid) {
            guard let object = informers[dependent.kind.plural]?.cache.get(dependent.name),
                let dependentUID = OwnershipGraph.uid(of: object)
            else { continue }
            let reference = OwnershipGraph.ownerReferences(of: object).first { $0.uid == uid }
            if reference?.blockOwnerDeletion == true { blocking += 1 }
            if object[path: ["metadata", "deletionTimestamp"]] == nil {
                // A dependent with dependents of its own goes in the foreground too, so the wait reaches down.
                let policy: DeleteOptions.PropagationPolicy = graph.hasDependents(dependentUID) ? .foreground : .background
                try await delete(
                    dependent, preconditions: DeletePreconditions(uid: dependentUID), policy: policy,
                    reason: "its owner \(ref) is deleted in the foreground")
            }
        }
        if blocking > 0 { return .requeue(after: Self.foregroundRecheck) }
        try await removeFinalizer(DeleteOptions.foregroundFinalizer, from: owner, ref: ref)
        return .done
    }

    private func removeFinalizer(_ finalizer: String, from object: JSONValue, ref: ObjectRef) async throws {
        var updated = object
        let remaining = (object[path: ["metadata", "finalizers"]]?.arrayValue ?? []).filter { $0 != .string(finalizer) }
        updated["metadata"]?["finalizers"] = .array(remaining)
        try await ignoringGone { _ = try await client.update(ref.kind, updated) }
    }

    // MARK: Dependents

    /// What became of one owner named by a dependent.
    enum OwnerState {
        /// There, not waiting for its dependents.
        case present
        /// There, being deleted in the foreground: waiting for its dependents to go.
        case waitingForDependents
        /// Gone (or replaced by an object of the same name and another uid).
        case absent
    }

    /// Deletes a dependent whose owners are all gone (or all waiting for it); drops the references to gone owners
    /// from one that still has an owner. What the cache shows is only the cue: before acting, the dependent is read
    /// again from the API (an orphaning may have removed the very reference the cache still shows).
    private func collectIfOrphaned(_ cached: JSONValue, ref: ObjectRef) async throws -> ReconcileResult {
        guard try await !owners(of: cached, ref: ref).allPresent else { return .done }
        let object: JSONValue
        do {
            object = try await client.get(ref.kind, namespace: ref.name.namespace, name: ref.name.name)
        } catch let status as APIStatus where status.code == 404 {
            return .done
        }
        guard let uid = OwnershipGraph.uid(of: object), object[path: ["metadata", "deletionTimestamp"]] == nil else { return .done }
        let owners = try await owners(of: object, ref: ref)
        guard !owners.allPresent else { return .done }
        let version = object[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { Int64($0) }
        if owners.present.isEmpty {
            let policy: DeleteOptions.PropagationPolicy = owners.waiting > 0 && graph.hasDependents(uid) ? .foreground : .background
            try await delete(
                ref, preconditions: DeletePreconditions(resourceVersion: version, uid: uid), policy: policy,
                reason: owners.waiting > 0 ? "its owner is deleted in the foreground" : "its owner is gone")
            return .done
        }
        var updated = object
        let kept = owners.present.map(\.uid)
        let remaining = (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).filter { entry in
            entry["uid"]?.stringValue.map(kept.contains) ?? true
        }
        updated["metadata"]?["ownerReferences"] = .array(remaining)
        try await ignoringGone { _ = try await client.update(ref.kind, updated) }
        logger.info("\(ref): dropped \(owners.waiting + owners.absent) reference(s) to owners that are gone")
        return .done
    }

    /// The owners of a dependent, sorted by what became of them.
    struct Owners {
        var present: [OwnerReference] = []
        var waiting = 0
        var absent = 0

        var allPresent: Bool { waiting == 0 && absent == 0 }
    }

    private func owners(of object: JSONValue, ref: ObjectRef) async throws -> Owners {
        var owners = Owners()
        for reference in OwnershipGraph.ownerReferences(of: object) {
            switch try await state(of: reference, dependentNamespace: ref.name.namespace) {
            case .present: owners.present.append(reference)
            case .waitingForDependents: owners.waiting += 1
            case .absent: owners.absent += 1
            }
        }
        return owners
    }

    /// Looks an owner up in the cache of its kind, and confirms an absence with the API (the cache may not have
    /// seen a new owner yet). An owner of a kind nobody serves counts as present: nothing is collected on a guess.
    private func state(of reference: OwnerReference, dependentNamespace: String?) async throws -> OwnerState {
        guard let kind = ResourceKind.forManifest(apiVersion: reference.apiVersion, kind: reference.kind) else {
            return .present
        }
        let name = ObjectName(namespace: kind.namespaced ? dependentNamespace : nil, name: reference.name)
        var owner = informers[kind.plural]?.cache.get(name)
        if owner.flatMap(OwnershipGraph.uid(of:)) != reference.uid {
            do {
                owner = try await client.get(kind, namespace: name.namespace, name: name.name)
            } catch let status as APIStatus where status.code == 404 {
                return .absent
            }
        }
        guard let owner, OwnershipGraph.uid(of: owner) == reference.uid else { return .absent }
        let deletingInForeground =
            owner[path: ["metadata", "deletionTimestamp"]] != nil
            && (owner[path: ["metadata", "finalizers"]]?.arrayValue ?? []).contains(.string(DeleteOptions.foregroundFinalizer))
        return deletingInForeground ? .waitingForDependents : .present
    }

    // MARK: Writes

    /// Deletes the object with these preconditions (never a newer object that took its name).
    private func delete(
        _ ref: ObjectRef, preconditions: DeletePreconditions, policy: DeleteOptions.PropagationPolicy, reason: String
    ) async throws {
        try await ignoringGone {
            try await client.delete(
                ref.kind, namespace: ref.name.namespace, name: ref.name.name,
                options: DeleteOptions(propagationPolicy: policy, preconditions: preconditions))
        }
        logger.info("deleted \(ref): \(reason)")
    }

    /// Runs a write, treating "already gone" (404, or 409 for a uid precondition that no longer holds) as done and
    /// a lost compare-and-swap as a reason to look again.
    private func ignoringGone(_ write: () async throws -> Void) async throws {
        do {
            try await write()
        } catch let status as APIStatus where status.code == 404 {
            return
        } catch let status as APIStatus where status.code == 409 && status.message.hasPrefix("Precondition failed: UID") {
            return
        }
    }
}
