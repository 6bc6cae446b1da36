import Foundation
import Logging
import StageflowAPI

/// Kubernetes object semantics over any `StorageBackend`: uids, generations, the status subresource,
/// finalizers, compare-and-swap on `resourceVersion`, and watch from any retained revision.
///
/// Every write goes through here, whichever backend keeps the bytes, so one conformance suite checks the
/// semantics of all of them.
public final class ResourceStore: Sendable {
    /// Tunables of the store.
    public struct Configuration: Sendable {
        /// Revisions kept in the log by automatic compaction.
        public var retainedRevisions: Int64
        /// How often automatic compaction runs; `nil` disables it.
        public var compactionInterval: Duration?
        /// How often watchers poll the backend when no wake-up arrives.
        public var pollInterval: Duration
        /// Events kept in memory for watchers that are slightly behind.
        public var watchBufferSize: Int

        /// Defaults: keep 50,000 revisions, compact every minute, poll every second, buffer 10,000 events.
        public init(
            retainedRevisions: Int64 = 50_000, compactionInterval: Duration? = .seconds(60),
            pollInterval: Duration = .seconds(1), watchBufferSize: Int = 10_000
        ) {
            self.retainedRevisions = retainedRevisions
            self.compactionInterval = compactionInterval
            self.pollInterval = pollInterval
            self.watchBufferSize = watchBufferSize
        }
    }

    /// The backend holding the bytes (every call of it recorded in `health`).
    public let backend: any StorageBackend
    /// How the backend's calls have been going, for readiness.
    public let health = StoreHealth()
    let configuration: Configuration
    let hub: WatchHub
    let logger: Logger
    private let background = BackgroundTasks()

    /// A store over a backend. Call `start()` before use.
    public init(backend: any StorageBackend, configuration: Configuration = .init(), logger: Logger? = nil) {
        let monitored = HealthRecordingBackend(base: backend, health: health)
        self.backend = monitored
        self.configuration = configuration
        self.logger = logger ?? Logger(label: "stageflow.store")
        self.hub = WatchHub(backend: monitored, capacity: configuration.watchBufferSize)
    }

    /// Prepares the schema and starts the watch poller and compaction.
    public func start() async throws {
        try await backend.prepare()
        try await hub.prime()
        let hub = self.hub
        let backend = self.backend
        let poll = configuration.pollInterval
        background.add(
            Task.detached {
                for await _ in backend.changeSignals() {
                    await hub.pull()
                }
            })
        background.add(
            Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: poll)
                    await hub.pull()
                }
            })
        if let interval = configuration.compactionInterval {
            background.add(
                Task.detached { [weak self] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        guard let self else { return }
                        do {
                            try await self.compact()
                        } catch {
                            self.logger.warning("compaction failed: \(error)")
                        }
                    }
                })
        }
    }

    /// Stops background work and closes the backend.
    public func shutdown() async {
        background.cancelAll()
        await hub.finish()
        await backend.close()
    }

    /// Compacts the revision log down to the retained window.
    public func compact() async throws {
        let current = try await backend.currentRevision()
        let through = current - configuration.retainedRevisions
        if through > (try await backend.compactedRevision()) {
            try await backend.compact(through: through)
        }
    }

    /// The newest revision.
    public func currentRevision() async throws -> Int64 {
        try await backend.currentRevision()
    }

    // MARK: Reads

    /// One object, with its `resourceVersion`.
    public func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        let key = try Self.key(kind, namespace: namespace, name: name)
        guard let record = try await backend.get(key) else { throw APIStatus.notFound(kind, name) }
        return try Self.decode(record.value, revision: record.revision)
    }

    /// A page of objects of a kind, in one namespace or (with `nil`) all.
    public func list(_ kind: ResourceKind, namespace: String?, options: ListOptions = .init()) async throws
        -> ObjectList
    {
        let namespace = kind.namespaced ? namespace : nil
        var after: ObjectKey?
        var pinnedRevision: Int64?
        if let token = options.continueToken, !token.isEmpty {
            guard let decoded = ContinueToken(encoded: token), decoded.resource == kind.plural else {
                throw APIStatus.badRequest("invalid continue token")
            }
            after = ObjectKey(path: decoded.lastKey)
            pinnedRevision = decoded.revision
        }
        let limit = options.limit.flatMap { $0 > 0 ? $0 : nil }
        let batchSize = 256
        var items: [JSONValue] = []
        var revision: Int64 = 0
        var lastIncluded: ObjectKey?
        var more = false
        // Selectors filter after reading, so keep reading until the page is full or the kind is exhausted.
        scan: while true {
            let page = try await backend.list(resource: kind.plural, namespace: namespace, after: after, limit: batchSize)
            revision = pinnedRevision ?? page.revision
            pinnedRevision = revision
            for record in page.records {
                if let limit, items.count == limit {
                    more = true
                    break scan
                }
                lastIncluded = record.key
                let object = try Self.decode(record.value, revision: record.revision)
                if options.matches(object) { items.append(object) }
            }
            guard page.records.count == batchSize, let last = page.records.last else { break }
            after = last.key
        }
        let token = more ? lastIncluded.map { ContinueToken(resource: kind.plural, lastKey: $0.path, revision: revision).encoded } : nil
        return ObjectList(items: items, resourceVersion: revision, continueToken: token)
    }

    static func matches(_ object: JSONValue, options: ListOptions) -> Bool {
        options.matches(object)
    }

    // MARK: Writes

    /// Creates an object. Sets uid, creationTimestamp, generation 1 and drops any `status` (status is written only
    /// through the status subresource). With `dryRun` nothing is stored. `uid` is for callers that must know
    /// the uid before the object exists (an upload staged under it); it must be a fresh UUID.
    public func create(_ kind: ResourceKind, _ object: JSONValue, dryRun: Bool = false, uid: String? = nil) async throws
        -> JSONValue
    {
        var object = object
        var metadata = object["metadata"]?.objectValue ?? [:]
        guard let name = metadata["name"]?.stringValue, !name.isEmpty else {
            throw APIStatus.invalid(kind, "", causes: [.init(reason: "FieldValueRequired", message: "Required value: name is required", field: "metadata.name")])
        }
        if kind.namespaced {
            metadata["namespace"] = .string(metadata["namespace"]?.stringValue ?? Names.defaultNamespace)
        } else {
            metadata.removeValue(forKey: "namespace")
        }
        metadata["uid"] = .string(uid ?? UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = .string(Timestamp.now())
        metadata["generation"] = .int(1)
        metadata.removeValue(forKey: "resourceVersion")
        metadata.removeValue(forKey: "deletionTimestamp")
        object["metadata"] = .object(metadata)
        object["apiVersion"] = .string(kind.apiVersion)
        object["kind"] = .string(kind.kind)
        if case .object(var members) = object {
            members.removeValue(forKey: "status")
            object = .object(members)
        }
        let key = try Self.key(kind, namespace: metadata["namespace"]?.stringValue, name: name)
        if dryRun {
            if try await backend.get(key) != nil { throw APIStatus.alreadyExists(kind, name) }
            return object
        }
        do {
            let revision = try await backend.write(Mutation(key: key, expectedRevision: nil, value: Self.encode(object)))
            await hub.nudge()
            return Self.withRevision(object, revision)
        } catch StorageConflict.alreadyExists {
            throw APIStatus.alreadyExists(kind, name)
        }
    }

    /// Replaces an object (PUT). For `.main`, `status` is kept from the stored object; for `.status`, only
    /// `status` is taken from `object`. A `resourceVersion` in `object` must match the stored one (409 otherwise).
    /// `generation` increases only when `spec` changes; a write that changes nothing stores nothing.
    public func update(
        _ kind: ResourceKind, _ object: JSONValue, subresource: Subresource = .main, dryRun: Bool = false
    ) async throws -> JSONValue {
        let metadata = object["metadata"]
        guard let name = metadata?["name"]?.stringValue, !name.isEmpty else {
            throw APIStatus.invalid(kind, "", causes: [.init(reason: "FieldValueRequired", message: "Required value: name is required", field: "metadata.name")])
        }
        let namespace = kind.namespaced ? (metadata?["namespace"]?.stringValue ?? Names.defaultNamespace) : nil
        let expected = try metadata?["resourceVersion"]?.stringValue.map { try Self.parseRevision($0) }
        return try await modify(kind, namespace: namespace, name: name, subresource: subresource, dryRun: dryRun, retryOnConflict: expected == nil) {
            current in
            if let expected, expected != (try Self.revision(of: current)) {
                throw APIStatus.conflict(kind, name, "the object has been modified; please apply your changes to the latest version and try again")
            }
            return object
        }
    }

    /// Reads the object, applies `transform` and writes the result with compare-and-swap; with
    /// `retryOnConflict` a concurrent write re-runs the transform on the fresh object (as patches do).
    /// The transform receives and returns whole objects; the subresource decides which parts are kept. It may
    /// await (admission resolves target host names): nothing is locked while it runs, and a write that landed
    /// meanwhile makes the compare-and-swap fail and the transform run again on the newer object.
    public func modify(
        _ kind: ResourceKind, namespace: String?, name: String, subresource: Subresource = .main,
        dryRun: Bool = false, retryOnConflict: Bool = true,
        _ transform: (JSONValue) async throws -> JSONValue
    ) async throws -> JSONValue {
        let key = try Self.key(kind, namespace: namespace, name: name)
        for attempt in 0..<Self.maximumAttempts {
            if attempt > 0 { try await Self.backOff(attempt) }
            guard let record = try await backend.get(key) else { throw APIStatus.notFound(kind, name) }
            let current = try Self.decode(record.value, revision: record.revision)
            let proposed = try await transform(current)
            let merged = try Self.merge(kind, current: current, proposed: proposed, subresource: subresource)
            if Self.stripRevision(merged) == Self.stripRevision(current) { return current }
            if dryRun { return merged }
            let finalizersDone =
                merged[path: ["metadata", "deletionTimestamp"]] != nil
                && (merged[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
            do {
                let revision: Int64
                if finalizersDone {
                    revision = try await backend.write(
                        Mutation(key: key, expectedRevision: record.revision, value: nil, deletedValue: Self.encode(Self.stripRevision(merged))))
                } else {
                    revision = try await backend.write(
                        Mutation(key: key, expectedRevision: record.revision, value: Self.encode(Self.stripRevision(merged))))
                }
                await hub.nudge()
                return Self.withRevision(merged, revision)
            } catch StorageConflict.revisionMismatch(_, let now) {
                if now == nil { throw APIStatus.notFound(kind, name) }
                if !retryOnConflict {
                    throw APIStatus.conflict(kind, name, "the object has been modified; please apply your changes to the latest version and try again")
                }
            }
        }
        throw APIStatus.conflict(kind, name, "too many concurrent writers; try again")
    }

    /// Deletes an object. With finalizers the object is only marked (`deletionTimestamp`) and goes when the
    /// last finalizer is removed. `propagation` says what becomes of its dependents (the objects naming it in
    /// `metadata.ownerReferences`): `Background` (the default) deletes it now and leaves them to the garbage
    /// collector; `Foreground` and `Orphan` mark it with the `foregroundDeletion` or `orphan` finalizer, which the
    /// garbage collector removes once the blocking dependents are gone or every dependent is orphaned.
    public func delete(
        _ kind: ResourceKind, namespace: String?, name: String, preconditions: DeletePreconditions = .init(),
        propagation: DeleteOptions.PropagationPolicy? = nil, dryRun: Bool = false
    ) async throws -> DeleteOutcome {
        let key = try Self.key(kind, namespace: namespace, name: name)
        let propagationFinalizer: String? =
            switch propagation {
            case .foreground?: DeleteOptions.foregroundFinalizer
            case .orphan?: DeleteOptions.orphanFinalizer
            case .background?, nil: nil
            }
        for attempt in 0..<Self.maximumAttempts {
            if attempt > 0 { try await Self.backOff(attempt) }
            guard let record = try await backend.get(key) else { throw APIStatus.notFound(kind, name) }
            let current = try Self.decode(record.value, revision: record.revision)
            if let expected = preconditions.resourceVersion, expected != record.revision {
                throw APIStatus.conflict(kind, name, "Precondition failed: ResourceVersion in precondition: \(expected), ResourceVersion in object meta: \(record.revision)")
            }
            if let uid = preconditions.uid, uid != current[path: ["metadata", "uid"]]?.stringValue {
                throw APIStatus.conflict(kind, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(current[path: ["metadata", "uid"]]?.stringValue ?? "")")
            }
            var finalizers = current[path: ["metadata", "finalizers"]]?.arrayValue ?? []
            let deleting = current[path: ["metadata", "deletionTimestamp"]] != nil
            if let propagationFinalizer, !finalizers.contains(.string(propagationFinalizer)) {
                // A foreground and an orphaning deletion exclude each other: the later request decides.
                let other = propagationFinalizer == DeleteOptions.orphanFinalizer ? DeleteOptions.foregroundFinalizer : DeleteOptions.orphanFinalizer
                finalizers.removeAll { $0 == .string(other) }
                finalizers.append(.string(propagationFinalizer))
            } else if deleting {
                return .pending(current)
            }
            do {
                if !finalizers.isEmpty {
                    var marked = Self.stripRevision(current)
                    var metadata = marked["metadata"]?.objectValue ?? [:]
                    if !deleting { metadata["deletionTimestamp"] = .string(Timestamp.now()) }
                    metadata["finalizers"] = .array(finalizers)
                    marked["metadata"] = .object(metadata)
                    if dryRun { return .pending(marked) }
                    let revision = try await backend.write(Mutation(key: key, expectedRevision: record.revision, value: Self.encode(marked)))
                    await hub.nudge()
                    return .pending(Self.withRevision(marked, revision))
                }
                if dryRun { return .deleted(current) }
                let revision = try await backend.write(Mutation(key: key, expectedRevision: record.revision, value: nil))
                await hub.nudge()
                return .deleted(Self.withRevision(current, revision))
            } catch StorageConflict.revisionMismatch(_, let now) {
                if now == nil { throw APIStatus.notFound(kind, name) }
                if preconditions.resourceVersion != nil {
                    throw APIStatus.conflict(kind, name, "the object has been modified")
                }
            }
        }
        throw APIStatus.conflict(kind, name, "too many concurrent writers; try again")
    }

    /// Read-modify-write attempts before a write gives up under contention.
    static let maximumAttempts = 200

    /// Waits a little, with jitter, before retrying a write that lost a compare-and-swap race.
    static func backOff(_ attempt: Int) async throws {
        if attempt < 3 {
            await Task.yield()
        } else {
            try await Task.sleep(for: .microseconds(Int.random(in: 100...(200 * min(attempt, 50)))))
        }
    }

    // MARK: Watch

    /// Changes of a kind (in one namespace or all), in revision order. From `nil`, the stream starts with an
    /// `ADDED` event for every existing object and continues from the list's revision; from a revision, it
    /// delivers every later change, or fails with 410 `Expired` when that revision was compacted away.
    public func watch(_ kind: ResourceKind, namespace: String?, from revision: Int64?) async throws -> ResourceWatch {
        let namespace = kind.namespaced ? namespace : nil
        var initial: [StoreEvent] = []
        var start: Int64
        if let revision, revision > 0 {
            let compacted = try await backend.compactedRevision()
            if revision < compacted {
                throw APIStatus.expired("too old resource version: \(revision) (\(compacted))")
            }
            start = revision
        } else {
            var options = ListOptions()
            var all: [JSONValue] = []
            repeat {
                let page = try await list(kind, namespace: namespace, options: options)
                all.append(contentsOf: page.items)
                start = page.resourceVersion
                options.continueToken = page.continueToken
            } while options.continueToken != nil
            initial = all.map { object in
                StoreEvent(type: .added, object: object, revision: (try? Self.revision(of: object)) ?? 0)
            }
        }
        return ResourceWatch(hub: hub, resource: kind.plural, namespace: namespace, cursor: start, initial: initial)
    }
}
