import Logging
import StageflowAPI

/// Kubernetes' garbage collection for every kind: deletes objects whose owners (`metadata.ownerReferences`) are
/// all gone, orphans the dependents of an owner deleted with `propagationPolicy: Orphan`, and deletes the dependents
/// of an owner deleted with `Foreground`, keeping the owner (its `foregroundDeletion` finalizer) until those with
/// `blockOwnerDeletion` are gone. It works from its informers' full LIST, so what was deleted while no collector
/// ran is collected when one starts.
public struct GarbageCollector: Runnable {
    public let name = "garbage-collector"
    /// The kinds collected (and looked at as owners).
    public let kinds: [ResourceKind]
    private let controller: Controller<ObjectRef>

    /// A collector over `informers`, for `kinds` (every kind that can own or be owned).
    public init(
        informers: InformerSet, client: any ResourceClient, kinds: [ResourceKind] = GarbageCollector.collectedKinds,
        workers: Int = 2, logger: Logger
    ) {
        self.kinds = kinds
        let graph = OwnershipGraph()
        var caches: [String: Informer] = [:]
        for kind in kinds { caches[kind.plural] = informers.informer(for: kind) }
        let reconciler = GarbageCollectionReconciler(client: client, informers: caches, graph: graph, logger: logger)
        controller = Controller(name: name, reconciler: reconciler, workers: workers, logger: logger)
        for kind in kinds {
            guard let informer = caches[kind.plural] else { continue }
            controller.watch(informer, resync: false) { change in Self.keys(for: change, kind: kind, graph: graph) }
        }
    }

    /// Every kind the API serves that objects can own or be owned by.
    public static let collectedKinds: [ResourceKind] = ResourceKind.all

    public func run() async throws {
        try await controller.run()
    }

    /// Keeps the graph in step with a change and says what to look at: an object that names owners or is being
    /// deleted with a propagation finalizer; when an object goes, its dependents and its owners.
    static func keys(for change: Informer.Change, kind: ResourceKind, graph: OwnershipGraph) -> [ObjectRef] {
        guard let ref = ObjectRef(kind: kind, object: change.object) else { return [] }
        switch change {
        case .deleted(let object):
            let (dependents, owners) = graph.remove(object)
            return dependents + owners
        case .added(let object), .resync(let object):
            graph.upsert(object, as: ref)
            return needsLook(object) ? [ref] : []
        case .updated(let old, let object):
            graph.upsert(object, as: ref)
            let ownersChanged = old?[path: ["metadata", "ownerReferences"]] != object[path: ["metadata", "ownerReferences"]]
            return (ownersChanged && needsLook(object)) || hasPropagationFinalizer(object) ? [ref] : []
        }
    }

    static func needsLook(_ object: JSONValue) -> Bool {
        !(object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).isEmpty || hasPropagationFinalizer(object)
    }

    static func hasPropagationFinalizer(_ object: JSONValue) -> Bool {
        guard object[path: ["metadata", "deletionTimestamp"]] != nil else { return false }
        let finalizers = object[path: ["metadata", "finalizers"]]?.arrayValue ?? []
        return finalizers.contains(.string(DeleteOptions.orphanFinalizer)) || finalizers.contains(.string(DeleteOptions.foregroundFinalizer))
    }
}
