import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowStore
import Testing

/// A clock the test moves by hand.
final class FakeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }

    func set(_ date: Date) { lock.withLock { current = date } }
}

/// Events kept in memory, in order.
final class RecordedEvents: ScheduleEventRecorder, @unchecked Sendable {
    struct Event: Equatable {
        var type: ScheduleEventType
        var reason: String
        var message: String
    }

    private let lock = NSLock()
    private var events: [Event] = []

    func record(regarding object: JSONValue, type: ScheduleEventType, reason: String, message: String) async {
        lock.withLock { events.append(Event(type: type, reason: reason, message: message)) }
    }

    var all: [Event] { lock.withLock { events } }

    func reasons() -> [String] { all.map(\.reason) }

    func take() -> [Event] {
        lock.withLock {
            defer { events = [] }
            return events
        }
    }
}

/// A client over the store that fails chosen writes once, to play a controller killed between two writes.
final class FaultyClient: ResourceClient, @unchecked Sendable {
    struct Injected: Error {}

    let base: StoreResourceClient
    private let lock = NSLock()
    private var failNextScheduleStatus = false

    init(base: StoreResourceClient) { self.base = base }

    func failNextScheduleStatusWrite() { lock.withLock { failNextScheduleStatus = true } }

    func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue {
        try await base.get(kind, namespace: namespace, name: name)
    }

    func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64) {
        try await base.list(kind, namespace: namespace, options: options)
    }

    func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try await base.watch(kind, namespace: namespace, options: options)
    }

    func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue { try await base.create(kind, object) }

    func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue { try await base.update(kind, object) }

    func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue {
        let fail = lock.withLock {
            defer { if kind == .scanSchedule { failNextScheduleStatus = false } }
            return kind == .scanSchedule && failNextScheduleStatus
        }
        if fail { throw Injected() }
        return try await base.updateStatus(kind, object)
    }

    func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await base.delete(kind, namespace: namespace, name: name, options: options)
    }
}

/// A job source that never sees any job: an informer cache that has not caught up.
struct BlindJobSource: ScheduledJobSource {
    func jobs(namespace: String?, scheduleUID: String) async throws -> [JSONValue] { [] }
}

/// A ScanSchedule reconciler over an in-memory store, a fake clock and recorded events. The test plays the
/// ScanJob controller by writing job phases.
final class ScheduleHarness: @unchecked Sendable {
    let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil, pollInterval: .milliseconds(50)))
    let clock = FakeClock(Date(timeIntervalSince1970: 0))
    let events = RecordedEvents()
    let client: FaultyClient
    var jobSource: (any ScheduledJobSource)?
    var notifier: (any RunNotifier)?

    init() {
        client = FaultyClient(base: StoreResourceClient(store: store))
    }

    func start() async throws { try await store.start() }

    func stop() async { await store.shutdown() }

    var reconciler: ScanScheduleReconciler {
        let clock = self.clock
        return ScanScheduleReconciler(
            client: client, jobs: jobSource ?? ListedScheduledJobs(client: client), events: events, notifier: notifier,
            logger: Logger(label: "test"), now: { clock.now })
    }

    static let key = ObjectName(namespace: "default", name: "nightly")

    /// Creates the schedule `nightly` and sets the clock to its creation time; returns that time.
    @discardableResult
    func create(_ cron: String, _ change: (inout ScanScheduleSpec) -> Void = { _ in }) async throws -> Date {
        var spec = ScanScheduleSpec(
            schedule: cron,
            jobTemplate: ScanJobTemplate(
                metadata: ObjectMeta(labels: ["team": "web"]),
                spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.com/"]), scanners: [ScannerSelection(name: "axe")])))
        change(&spec)
        let created = try await store.create(
            .scanSchedule, try JSONValue(encoding: ScanSchedule(metadata: ObjectMeta(name: "nightly", namespace: "default"), spec: spec)))
        let time = try #require(created[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(Timestamp.date))
        clock.set(time)
        return time
    }

    /// The hourly schedule `nightly`, last run at midnight of 2030-06-01.
    func createHourly(_ change: (inout ScanScheduleSpec) -> Void = { _ in }) async throws {
        try await create("0 * * * *", change)
        try await setLastScheduleTime("2030-06-01T00:00:00Z")
    }

    /// Runs the hourly schedule's 01:00 start and plays its job starting to scan; forgets the events so far.
    /// Returns the job's name.
    func startFirstHour() async throws -> String {
        try await reconcile(at: "2030-06-01T01:00:01Z")
        let name = try Self.jobName("2030-06-01T01:00:00Z")
        try await startScanning(name)
        _ = events.take()
        return name
    }

    /// Sets `status.lastScheduleTime` as an earlier controller would have left it.
    func setLastScheduleTime(_ text: String) async throws {
        var object = try await store.get(.scanSchedule, namespace: "default", name: "nightly")
        object["status"] = ["lastScheduleTime": .string(text)]
        _ = try await store.update(.scanSchedule, object, subresource: .status)
    }

    /// Changes the spec of the schedule.
    func change(_ change: (inout ScanScheduleSpec) -> Void) async throws {
        let object = try await store.get(.scanSchedule, namespace: "default", name: "nightly")
        var schedule = try object.decode(as: ScanSchedule.self)
        change(&schedule.spec)
        _ = try await store.update(.scanSchedule, try JSONValue(encoding: schedule))
    }

    @discardableResult
    func reconcile(at time: String? = nil) async throws -> ReconcileResult {
        if let time { clock.set(try Self.date(time)) }
        return try await reconciler.reconcile(Self.key)
    }

    func schedule() async throws -> ScanSchedule {
        try await store.get(.scanSchedule, namespace: "default", name: "nightly").decode(as: ScanSchedule.self)
    }

    /// The schedule's jobs, oldest name first.
    func jobs() async throws -> [ScanJob] {
        try await store.list(.scanJob, namespace: "default").items.map { try $0.decode(as: ScanJob.self) }
            .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
    }

    func jobNames() async throws -> [String] { try await jobs().compactMap(\.metadata.name) }

    /// Plays the ScanJob controller finishing a job.
    func finish(_ name: String, _ phase: ScanJobPhase, score: Double? = nil, new: Int64 = 0, at time: String? = nil) async throws {
        var object = try await store.get(.scanJob, namespace: "default", name: name)
        var status = ScanJobStatus()
        status.phase = phase
        status.completionTime = time ?? Timestamp.string(clock.now)
        if let score {
            status.summary = ScanSummary(
                score: score, grade: score >= 90 ? "A" : "B", totalIssues: 3, bySeverity: ["serious": 1, "minor": 2],
                newSinceBaseline: new, fixedSinceBaseline: 1)
        }
        object["status"] = try JSONValue(encoding: status)
        _ = try await store.update(.scanJob, object, subresource: .status)
    }

    /// Plays the ScanJob controller picking a job up.
    func startScanning(_ name: String) async throws {
        var object = try await store.get(.scanJob, namespace: "default", name: name)
        object["status"] = ["phase": "Scanning"]
        _ = try await store.update(.scanJob, object, subresource: .status)
    }

    /// The job name for a start time: the schedule's name and the time in Unix minutes.
    static func jobName(_ time: String) throws -> String {
        "nightly-\(Int64(try date(time).timeIntervalSince1970) / 60)"
    }

    static func date(_ text: String) throws -> Date { try #require(Timestamp.date(text)) }
}

/// Runs `body` with a started harness, stopping it afterwards.
func withScheduleHarness(_ body: (ScheduleHarness) async throws -> Void) async throws {
    let harness = ScheduleHarness()
    try await harness.start()
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}
