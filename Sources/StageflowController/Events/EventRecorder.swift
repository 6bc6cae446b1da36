import Foundation
import Logging
import StageflowAPI

/// Records Events (core `v1`) about objects for people to read in `describe`, without ever holding up a
/// reconcile: `record` only notes the occurrence; `run()` — beside the controllers, ending with them — writes.
///
/// Occurrences aggregate per object, type and reason into one Event whose `count` and `lastTimestamp` grow (its
/// message is the latest one): the first occurrence is created at once, later ones are written at most every
/// `flushInterval`, so an object failing a thousand times costs one Event and a handful of writes. An entry not
/// seen for `idleTimeout` is forgotten (its Event stays until the server expires it).
public final class EventRecorder: Runnable, @unchecked Sendable {
    public let name = "event-recorder"
    private let client: any ResourceClient
    private let component: String
    private let instance: String
    private let flushInterval: Duration
    private let idleTimeout: Duration
    private let maximumEntries: Int
    private let logger: Logger
    private let clock = ContinuousClock()
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private let wake = AsyncSignal()

    /// One aggregate: an object, a type and a reason.
    struct Key: Hashable {
        var uid: String
        var type: String
        var reason: String
    }

    struct Entry {
        var involved: ObjectReference
        var type: String
        var reason: String
        var message: String
        var count: Int64
        var first: Date
        var last: Date
        var lastSeen: ContinuousClock.Instant
        /// The stored Event's name, once created.
        var eventName: String?
        /// The count last written.
        var writtenCount: Int64 = 0
        var lastWrite: ContinuousClock.Instant?
        var writing = false

        var dirty: Bool { count != writtenCount }
    }

    /// A recorder writing through `client` as `component` (`source.component`, `reportingComponent`) and
    /// `instance` (`reportingInstance`, the process's lease identity).
    public init(
        client: any ResourceClient, component: String, instance: String, flushInterval: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(360), maximumEntries: Int = 4096, logger: Logger
    ) {
        self.client = client
        self.component = component
        self.instance = instance
        self.flushInterval = flushInterval
        self.idleTimeout = idleTimeout
        self.maximumEntries = maximumEntries
        self.logger = logger
    }

    /// Notes a `Normal` occurrence about `object` (of `kind`).
    public func normal(_ object: JSONValue, kind: ResourceKind, reason: String, message: String) {
        record(object, kind: kind, type: Event.normal, reason: reason, message: message)
    }

    /// Notes a `Warning` occurrence about `object` (of `kind`).
    public func warning(_ object: JSONValue, kind: ResourceKind, reason: String, message: String) {
        record(object, kind: kind, type: Event.warning, reason: reason, message: message)
    }

    /// Notes an occurrence; returns at once.
    public func record(_ object: JSONValue, kind: ResourceKind, type: String, reason: String, message: String) {
        guard let involved = ObjectReference(of: object, kind: kind), let uid = involved.uid else { return }
        let key = Key(uid: uid, type: type, reason: reason)
        let now = Date()
        let isNew: Bool = lock.withLock {
            if var entry = entries[key] {
                entry.count += 1
                entry.last = now
                entry.message = message
                entry.lastSeen = clock.now
                entries[key] = entry
                return false
            }
            if entries.count >= maximumEntries { evictLocked() }
            entries[key] = Entry(
                involved: involved, type: type, reason: reason, message: message, count: 1, first: now, last: now, lastSeen: clock.now)
            return true
        }
        if isNew { wake.signal() }
    }

    /// The number of aggregates held.
    public var entryCount: Int { lock.withLock { entries.count } }

    /// Writes until cancelled; on the way out, writes what is still unwritten once.
    public func run() async throws {
        while !Task.isCancelled {
            let next = await writeDue(force: false)
            if let next {
                await wake.wait(until: next, clock: clock)
            } else {
                await wake.wait()
            }
        }
        _ = await writeDue(force: true)
    }

    /// Writes every aggregate with unwritten occurrences now.
    public func flush() async {
        _ = await writeDue(force: true)
    }

    /// Writes what is due (everything unwritten with `force`), forgets idle entries, and returns when something
    /// is next due.
    private func writeDue(force: Bool) async -> ContinuousClock.Instant? {
        let now = clock.now
        let due: [(Key, Entry)] = lock.withLock {
            entries = entries.filter { _, entry in entry.dirty || entry.writing || entry.lastSeen.advanced(by: idleTimeout) > now }
            var due: [(Key, Entry)] = []
            for (key, entry) in entries where entry.dirty && !entry.writing {
                if force || entry.eventName == nil || (entry.lastWrite.map { $0.advanced(by: flushInterval) <= now } ?? true) {
                    entries[key]?.writing = true
                    due.append((key, entry))
                }
            }
            return due
        }
        for (key, entry) in due {
            let written = await write(entry)
            lock.withLock {
                guard var current = entries[key] else { return }
                current.writing = false
                if let written {
                    current.eventName = written
                    current.writtenCount = entry.count
                    current.lastWrite = clock.now
                } else {
                    // Not written: try again after an interval rather than at once.
                    current.lastWrite = clock.now
                }
                entries[key] = current
            }
        }
        return lock.withLock {
            var next: ContinuousClock.Instant?
            for entry in entries.values {
                let candidate =
                    entry.dirty
                    ? (entry.lastWrite?.advanced(by: flushInterval) ?? clock.now) : entry.lastSeen.advanced(by: idleTimeout)
                if next == nil || candidate < next! { next = candidate }
            }
            return next
        }
    }

    /// Creates or updates the Event of an aggregate; returns its name, or `nil` when the write failed.
    private func write(_ entry: Entry) async -> String? {
        let namespace = entry.involved.namespace ?? Names.defaultNamespace
        let name = entry.eventName ?? Self.eventName(for: entry.involved.name, at: entry.first)
        let event = Event(
            metadata: ObjectMeta(name: name, namespace: namespace), involvedObject: entry.involved,
            reason: entry.reason, message: entry.message, type: entry.type,
            source: EventSource(component: component, host: ProcessInfo.processInfo.hostName),
            firstTimestamp: Timestamp.string(entry.first), lastTimestamp: Timestamp.string(entry.last), count: entry.count,
            reportingComponent: component, reportingInstance: instance)
        do {
            var object = try JSONValue(encoding: event)
            if entry.eventName != nil {
                do {
                    _ = try await client.update(.event, object)
                    return name
                } catch let status as APIStatus where status.code == 404 {
                    // Expired or deleted meanwhile: record it afresh.
                    object["metadata"]?["name"] = .string(Self.eventName(for: entry.involved.name, at: Date()))
                }
            }
            let created = try await client.create(.event, object)
            return created[path: ["metadata", "name"]]?.stringValue ?? name
        } catch {
            logger.warning("recording event \(entry.reason) for \(entry.involved.kind ?? "")/\(entry.involved.name) failed: \(error)")
            return nil
        }
    }

    /// `<object>.<hex nanoseconds>`, as Kubernetes names events.
    static func eventName(for object: String, at date: Date) -> String {
        "\(object).\(String(UInt64(date.timeIntervalSince1970 * 1e9), radix: 16))"
    }

    /// Drops the least recently seen aggregate that has nothing unwritten.
    private func evictLocked() {
        let oldest = entries.filter { !$0.value.dirty && !$0.value.writing }.min { $0.value.lastSeen < $1.value.lastSeen }
        if let oldest { entries.removeValue(forKey: oldest.key) }
    }
}
