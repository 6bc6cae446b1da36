import Foundation

/// Where an object lives: resource (plural), namespace (empty for cluster-scoped kinds) and name.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Resource plural, `scanjobs`.
    public var resource: String
    /// Namespace, or `""` for cluster-scoped objects.
    public var namespace: String
    /// Object name.
    public var name: String

    /// A key.
    public init(resource: String, namespace: String, name: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    /// `scanjobs/default/nightly`: the single string backends index on; ordering by it orders by
    /// resource, then namespace, then name.
    public var path: String { "\(resource)/\(namespace)/\(name)" }

    /// Rebuilds a key from `path`.
    public init?(path: String) {
        let parts = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        self.init(resource: String(parts[0]), namespace: String(parts[1]), name: String(parts[2]))
    }

    public var description: String { path }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool { lhs.path < rhs.path }
}

/// The current state of one object as a backend keeps it.
public struct StoredRecord: Sendable, Hashable {
    /// Where it lives.
    public var key: ObjectKey
    /// Revision of the last write to it (its `resourceVersion`).
    public var revision: Int64
    /// The object's JSON, without `metadata.resourceVersion` (which is `revision`).
    public var value: Data

    /// A record.
    public init(key: ObjectKey, revision: Int64, value: Data) {
        self.key = key
        self.revision = revision
        self.value = value
    }
}

/// What a change did to an object.
public enum ChangeKind: String, Sendable, Hashable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
}

/// One entry of the revision log.
public struct ChangeEvent: Sendable, Hashable {
    /// The revision this change created; strictly increasing in log order.
    public var revision: Int64
    /// Added, modified or deleted.
    public var kind: ChangeKind
    /// The object changed.
    public var key: ObjectKey
    /// The object after the change; for a deletion, its last state.
    public var value: Data

    /// An event.
    public init(revision: Int64, kind: ChangeKind, key: ObjectKey, value: Data) {
        self.revision = revision
        self.kind = kind
        self.key = key
        self.value = value
    }
}

/// One compare-and-swap write.
public struct Mutation: Sendable, Hashable {
    /// The object written.
    public var key: ObjectKey
    /// `nil`: the object must not exist (create). Otherwise the object's current revision must equal this.
    public var expectedRevision: Int64?
    /// The new value; `nil` deletes the object.
    public var value: Data?
    /// For a deletion, the last state recorded in the DELETED event (defaults to the stored value).
    public var deletedValue: Data?

    /// A mutation.
    public init(key: ObjectKey, expectedRevision: Int64?, value: Data?, deletedValue: Data? = nil) {
        self.key = key
        self.expectedRevision = expectedRevision
        self.value = value
        self.deletedValue = deletedValue
    }
}

/// Why a compare-and-swap write was refused.
public enum StorageConflict: Error, Sendable, Hashable {
    /// A create found the key already present.
    case alreadyExists(ObjectKey)
    /// An update or delete found another revision (or, with `nil`, no object at all).
    case revisionMismatch(ObjectKey, current: Int64?)
}

/// The backend could not reach or use its database; the operation may be retried.
public struct StorageUnavailable: Error, CustomStringConvertible, Sendable {
    /// What failed.
    public let description: String
    /// Whether the database's disk is full (SQLite's `SQLITE_FULL`, PostgreSQL's `disk_full`): writes fail until
    /// space is freed, while reads still work. Clients are told so; the description stays in the log.
    public let storageFull: Bool

    /// An unavailability with a reason.
    public init(_ description: String, storageFull: Bool = false) {
        self.description = description
        self.storageFull = storageFull
    }
}

/// A durable revision log with a current-state index: the only thing a database dialect implements.
///
/// Contract, checked by the conformance suite:
/// - every successful `write` appends exactly one `ChangeEvent` whose revision is greater than every earlier one,
///   and events become visible to `events(after:)` in revision order (a reader never sees revision N+1 and later
///   N);
/// - `write` is an atomic compare-and-swap on the key's revision;
/// - `list` returns records consistent with the revision it reports;
/// - `compact` removes events at or below a revision and records that revision, so `events(after:)` below it can
///   be refused as expired.
public protocol StorageBackend: Sendable {
    /// Creates the schema if missing; safe to call on every start.
    func prepare() async throws

    /// The newest revision (0 for an empty log).
    func currentRevision() async throws -> Int64

    /// The highest revision removed by compaction (0 when nothing was).
    func compactedRevision() async throws -> Int64

    /// The current state of one object.
    func get(_ key: ObjectKey) async throws -> StoredRecord?

    /// Objects of a resource (in one namespace, or all when `namespace` is `nil`), ordered by key path, starting
    /// after `after`, at most `limit`; with the revision the read is consistent at.
    func list(resource: String, namespace: String?, after: ObjectKey?, limit: Int?) async throws
        -> (records: [StoredRecord], revision: Int64)

    /// Applies one compare-and-swap write; returns its revision. Throws `StorageConflict` when the expectation
    /// does not hold.
    func write(_ mutation: Mutation) async throws -> Int64

    /// Log entries with revision greater than `revision`, oldest first, at most `limit`.
    func events(after revision: Int64, limit: Int) async throws -> [ChangeEvent]

    /// Removes log entries at or below `revision` (never the newest one) and remembers it as compacted.
    func compact(through revision: Int64) async throws

    /// Wake-ups that new events may exist (after local writes, or a database notification). A lost wake-up
    /// loses no event: readers also poll.
    func changeSignals() -> AsyncStream<Void>

    /// Releases connections.
    func close() async
}
