import Foundation
import StageflowAPI
import StageflowController
import Testing

/// A notifier that records what it was asked and answers as a webhook that took every delivery.
final class RecordingNotifier: RunNotifier, @unchecked Sendable {
    struct Call: Equatable {
        var job: String
        var run: String
        var previous: String?
    }

    private let lock = NSLock()
    private var recorded: [Call] = []

    var calls: [Call] { lock.withLock { recorded } }

    func notify(schedule: ScanSchedule, job: ScanJob, run: ScheduleRun, previous: ScheduleRun?) async throws -> [NotificationRecord] {
        lock.withLock { recorded.append(Call(job: job.metadata.name ?? "", run: run.job, previous: previous?.job)) }
        return (schedule.spec.notify ?? []).map { target in
            NotificationRecord(target: target.name, events: ["NewIssues"], result: "Delivered", attempts: 1, httpStatus: 200, time: "2030-06-01T00:00:00Z")
        }
    }
}

@Suite("ScanSchedule notifications")
struct ScheduleNotificationTests {
    @Test("each finished run is told once, compared with the run before it; the outcome is on the job and an Event")
    func onceAndRecorded() async throws {
        try await withScheduleHarness { harness in
            let notifier = RecordingNotifier()
            harness.notifier = notifier
            try await harness.createHourly { spec in
                spec.notify = [ScheduleNotifyTarget(name: "chat", url: "https://hooks.example/x", on: [.newIssues])]
            }
            let first = try await harness.startFirstHour()
            try await harness.finish(first, .done, score: 95)
            try await harness.reconcile()
            try await harness.reconcile()
            #expect(notifier.calls == [.init(job: first, run: first, previous: nil)], "a repeated pass does not notify again")
            let records = try #require(try await harness.jobs().first { $0.metadata.name == first }?.status?.notifications)
            #expect(records.map(\.target) == ["chat"] && records.first?.result == "Delivered")
            #expect(harness.events.take().contains { $0.reason == "Notified" })

            try await harness.reconcile(at: "2030-06-01T02:00:01Z")
            let second = try ScheduleHarness.jobName("2030-06-01T02:00:00Z")
            try await harness.startScanning(second)
            try await harness.reconcile()
            #expect(notifier.calls.count == 1, "a running job is not told about")
            try await harness.finish(second, .done, score: 80, new: 2)
            try await harness.reconcile()
            #expect(notifier.calls.last == .init(job: second, run: second, previous: first))
            #expect(notifier.calls.count == 2)
        }
    }

    @Test("a schedule without notify targets asks nothing and writes nothing on its jobs")
    func withoutTargets() async throws {
        try await withScheduleHarness { harness in
            let notifier = RecordingNotifier()
            harness.notifier = notifier
            try await harness.createHourly()
            let first = try await harness.startFirstHour()
            try await harness.finish(first, .done, score: 95)
            try await harness.reconcile()
            #expect(notifier.calls.isEmpty)
            #expect(try await harness.jobs().first?.status?.notifications == nil)
        }
    }
}
