import StageflowAPI

/// The ScanJobs a schedule controls, as its reconciler reads them: jobs in the schedule's namespace whose
/// controller owner reference carries the schedule's uid.
public protocol ScheduledJobSource: Sendable {
    /// The jobs of the schedule with uid `scheduleUID` in `namespace`.
    func jobs(namespace: String?, scheduleUID: String) async throws -> [JSONValue]
}

/// Reads a schedule's jobs from the ScanJob informer's cache: what the controller uses. The cache may lag a
/// write by a moment; the reconciler allows for that (a job it just created may be missing, one it deleted
/// may linger).
public struct CachedScheduledJobs: ScheduledJobSource {
    let cache: ObjectCache

    /// Jobs from `cache`.
    public init(cache: ObjectCache) { self.cache = cache }

    public func jobs(namespace: String?, scheduleUID: String) async throws -> [JSONValue] {
        cache.list().filter { job in
            job[path: ["metadata", "namespace"]]?.stringValue == namespace && ScheduledJobBuilder.isControlled(job, by: scheduleUID)
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
