import Foundation
import StageflowAPI

/// The ScanJobs a schedule controls, as its reconciler reads them: jobs in the schedule's namespace whose
/// controller owner reference carries the schedule's uid.
public protocol ScheduledJobSource: Sendable {
    /// The jobs of the schedule with uid `scheduleUID` in `namespace`.
    func jobs(namespace: String?, scheduleUID: String) async throws -> [JSONValue]
}

/// Reads a schedule's jobs from the ScanJob informer's cache through an index by controlling schedule, so a
/// pass costs the schedule's own jobs, not every job in the cache. The cache may lag a write by a moment; the
/// reconciler allows for that (a job it just created may be missing, one it deleted may linger).
public final class CachedScheduledJobs: ScheduledJobSource, @unchecked Sendable {
    let cache: ObjectCache
    private let lock = NSLock()
    /// Job keys by the uid of the schedule controlling them, and each indexed job's schedule uid.
    private var byOwner: [String: Set<ObjectName>] = [:]
    private var owners: [ObjectName: String] = [:]

    /// Jobs from the cache of `informer`, indexed as its changes arrive; create before the informer runs.
    public init(informer: Informer) {
        cache = informer.cache
        informer.addHandler { [weak self] change in self?.index(change) }
    }

    public func jobs(namespace: String?, scheduleUID: String) async throws -> [JSONValue] {
        let keys = lock.withLock { byOwner[scheduleUID] ?? [] }
        return keys.filter { $0.namespace == namespace }.sorted().compactMap { cache.get($0) }
            .filter { ScheduledJobBuilder.isControlled($0, by: scheduleUID) }
    }

    private func index(_ change: Informer.Change) {
        guard let key = ObjectName(of: change.object) else { return }
        var owner: String?
        if case .deleted = change {
            owner = nil
        } else {
            owner = ScheduledJobBuilder.controllingScheduleUID(of: change.object)
        }
        lock.withLock {
            if let previous = owners[key], previous != owner {
                byOwner[previous]?.remove(key)
                if byOwner[previous]?.isEmpty == true { byOwner.removeValue(forKey: previous) }
            }
            owners[key] = owner
            if let owner { byOwner[owner, default: []].insert(key) }
        }
    }
}

/// Lists a schedule's jobs from the API on every call: always current, for tests and one-off reads.
public struct ListedScheduledJobs: ScheduledJobSource {
    let client: any ResourceClient

    /// Jobs listed through `client`.
    public init(client: any ResourceClient) { self.client = client }

    public func jobs(namespace: String?, scheduleUID: String) async throws -> [JSONValue] {
        try await client.list(.scanJob, namespace: namespace).items.filter { ScheduledJobBuilder.isControlled($0, by: scheduleUID) }
    }
}
