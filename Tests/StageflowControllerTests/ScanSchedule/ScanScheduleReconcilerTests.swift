import Foundation
import StageflowAPI
import StageflowController
import Testing

/// The ScanSchedule reconciler on a fake clock over an in-memory store: when runs are created, which ones,
/// what they look like, and what the schedule's status says.
@Suite("ScanSchedule reconciler")
struct ScanScheduleReconcilerTests {
    @Test("a first run at the first start after creation, built from the template, and a requeue for the next start")
    func firstRun() async throws {
        try await withScheduleHarness { harness in
            let created = try await harness.create("*/5 * * * *")
            let minute = Int64(created.timeIntervalSince1970) / 60
            let first = Date(timeIntervalSince1970: TimeInterval((minute / 5 + 1) * 5 * 60))
            // Before the first start: nothing to do but wait for it.
            #expect(try await harness.reconcile() == .requeue(after: .seconds(first.timeIntervalSince(created)) + .milliseconds(100)))
            #expect(try await harness.jobNames() == [])
            // Two seconds after it: one run.
            harness.clock.set(first.addingTimeInterval(2))
            #expect(try await harness.reconcile() == .requeue(after: .seconds(298) + .milliseconds(100)))
            let jobs = try await harness.jobs()
            let schedule = try await harness.schedule()
            let job = try #require(jobs.first)
            #expect(jobs.count == 1)
            #expect(job.metadata.name == "nightly-\(Int64(first.timeIntervalSince1970) / 60)")
            #expect(job.metadata.labels == ["team": "web", "stageflow.dev/schedule": "nightly"])
            #expect(job.metadata.annotations == ["stageflow.dev/scheduled-time": Timestamp.string(first)])
            #expect(
                job.metadata.ownerReferences == [
                    OwnerReference(
                        apiVersion: "stageflow.dev/v1alpha1", kind: "ScanSchedule", name: "nightly", uid: schedule.metadata.uid!,
                        controller: true, blockOwnerDeletion: true)
                ])
            #expect(job.spec.target.urls == ["https://example.com/"])
            #expect(job.spec.baselineRef == nil)
            #expect(schedule.status?.lastScheduleTime == Timestamp.string(first))
            #expect(schedule.status?.active?.map(\.name) == [job.metadata.name!])
            #expect(schedule.status?.active?.first?.uid == job.metadata.uid)
            #expect(schedule.status?.activeCount == 1)
            #expect(harness.events.reasons() == ["SuccessfulCreate"])
            // Again at the same time: nothing new.
            try await harness.reconcile()
            #expect(try await harness.jobs().count == 1)
            #expect(harness.events.reasons() == ["SuccessfulCreate"])
        }
    }

    @Test("after three days of downtime, only the latest missed start runs")
    func downtime() async throws {
        try await withScheduleHarness { harness in
            try await harness.create("0 3 * * *")
            try await harness.setLastScheduleTime("2030-06-01T03:00:00Z")
            let result = try await harness.reconcile(at: "2030-06-04T10:00:00Z")
            #expect(try await harness.jobNames() == [try ScheduleHarness.jobName("2030-06-04T03:00:00Z")])
            #expect(try await harness.schedule().status?.lastScheduleTime == "2030-06-04T03:00:00Z")
            #expect(harness.events.reasons() == ["SuccessfulCreate"])
            #expect(result == .requeue(after: .seconds(17 * 3600) + .milliseconds(100)))
        }
    }

    @Test("more than 100 missed starts: a TooManyMissedTimes warning, and one run, the latest")
    func tooManyMissed() async throws {
        try await withScheduleHarness { harness in
            try await harness.create("* * * * *")
            try await harness.setLastScheduleTime("2030-06-01T00:00:00Z")
            try await harness.reconcile(at: "2030-06-01T03:00:30Z")
            #expect(try await harness.jobNames() == [try ScheduleHarness.jobName("2030-06-01T03:00:00Z")])
            let events = harness.events.all
            #expect(events.map(\.reason) == ["TooManyMissedTimes", "SuccessfulCreate"])
            #expect(events.first?.type == .warning)
            // Exactly 100 missed is no warning.
            _ = harness.events.take()
            try await harness.reconcile(at: "2030-06-01T04:40:30Z")
            #expect(harness.events.reasons() == ["SuccessfulCreate"])
        }
    }

    @Test("a start later than startingDeadlineSeconds is skipped with MissSchedule; one within it runs")
    func startingDeadline() async throws {
        try await withScheduleHarness { harness in
            try await harness.create("0 * * * *") { $0.startingDeadlineSeconds = 600 }
            try await harness.setLastScheduleTime("2030-06-01T01:00:00Z")
            let late = try await harness.reconcile(at: "2030-06-01T02:30:00Z")
            #expect(try await harness.jobNames() == [])
            let events = harness.events.take()
            #expect(events.map(\.reason) == ["MissSchedule"])
            #expect(events.first?.type == .warning)
            #expect(events.first?.message.contains("2030-06-01T02:00:00Z") == true)
            #expect(late == .requeue(after: .seconds(1800) + .milliseconds(100)))
            try await harness.reconcile(at: "2030-06-01T03:09:59Z")
            #expect(try await harness.jobNames() == [try ScheduleHarness.jobName("2030-06-01T03:00:00Z")])
            #expect(harness.events.reasons() == ["SuccessfulCreate"])
        }
    }

    @Test("Allow runs overlapping jobs side by side")
    func allow() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly()
            let first = try await harness.startFirstHour()
            try await harness.reconcile(at: "2030-06-01T02:00:01Z")
            let names = [first, try ScheduleHarness.jobName("2030-06-01T02:00:00Z")]
            #expect(try await harness.jobNames() == names)
            #expect(try await harness.schedule().status?.active?.map(\.name).sorted() == names)
            #expect(try await harness.schedule().status?.activeCount == 2)
        }
    }

    @Test("Forbid skips a start while a run is active, with JobAlreadyActive, and runs it once the run ends")
    func forbid() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly { $0.concurrencyPolicy = "Forbid" }
            let first = try await harness.startFirstHour()
            try await harness.reconcile(at: "2030-06-01T02:00:01Z")
            #expect(try await harness.jobNames() == [first])
            let events = harness.events.take()
            #expect(events.map(\.reason) == ["JobAlreadyActive"])
            #expect(events.first?.type == .normal)
            #expect(try await harness.schedule().status?.lastScheduleTime == "2030-06-01T01:00:00Z")
            // The active run ends; the skipped start (no deadline) runs now.
            try await harness.finish(first, .done, score: 90)
            try await harness.reconcile(at: "2030-06-01T02:20:00Z")
            #expect(try await harness.jobNames() == [first, try ScheduleHarness.jobName("2030-06-01T02:00:00Z")])
        }
    }

    @Test("Replace deletes the active run and starts the new one")
    func replace() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly { $0.concurrencyPolicy = "Replace" }
            let first = try await harness.startFirstHour()
            try await harness.reconcile(at: "2030-06-01T02:00:01Z")
            let second = try ScheduleHarness.jobName("2030-06-01T02:00:00Z")
            #expect(try await harness.jobNames() == [second], "\(first) is replaced")
            #expect(try await harness.schedule().status?.active?.map(\.name) == [second])
            #expect(harness.events.reasons() == ["SuccessfulDelete", "SuccessfulCreate"])
        }
    }

    @Test("suspend stops new runs only; after resume the latest missed start runs")
    func suspendAndResume() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly()
            let first = try await harness.startFirstHour()
            try await harness.change { $0.suspend = true }
            #expect(try await harness.reconcile(at: "2030-06-01T03:30:00Z") == .done)
            #expect(try await harness.jobNames() == [first])
            #expect(try await harness.schedule().status?.active?.map(\.name) == [first])
            // The running job is untouched, and still observed: it finishes while suspended.
            try await harness.finish(first, .done, score: 80)
            try await harness.reconcile()
            #expect(try await harness.schedule().status?.active == nil)
            #expect(try await harness.schedule().status?.history?.map(\.job) == [first])
            try await harness.change { $0.suspend = false }
            try await harness.reconcile()
            #expect(try await harness.jobNames() == [first, try ScheduleHarness.jobName("2030-06-01T03:00:00Z")])
        }
    }

    @Test("history limits delete the oldest finished runs; the history keeps them, newest first, with scores")
    func historyLimits() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly {
                $0.successfulJobsHistoryLimit = 2
                $0.failedJobsHistoryLimit = 1
            }
            let outcomes: [(ScanJobPhase, Double?)] = [(.done, 80), (.failed, nil), (.done, 85), (.failed, nil), (.done, 82.5)]
            var names: [String] = []
            for (hour, outcome) in outcomes.enumerated() {
                let start = String(format: "2030-06-01T%02d:00:00Z", hour + 1)
                try await harness.reconcile(at: String(format: "2030-06-01T%02d:00:01Z", hour + 1))
                let name = try ScheduleHarness.jobName(start)
                names.append(name)
                try await harness.finish(name, outcome.0, score: outcome.1, at: String(format: "2030-06-01T%02d:30:00Z", hour + 1))
                try await harness.reconcile(at: String(format: "2030-06-01T%02d:30:01Z", hour + 1))
            }
            // Kept: the two newest Done (runs 3 and 5) and the newest Failed (run 4).
            #expect(try await harness.jobNames() == [names[2], names[3], names[4]])
            let status = try #require(try await harness.schedule().status)
            let history = try #require(status.history)
            #expect(history.map(\.job) == names.reversed())
            #expect(history.map(\.phase) == [.done, .failed, .done, .failed, .done])
            #expect(history.map(\.score) == [82.5, nil, 85, nil, 80])
            #expect(history.map(\.scoreDelta) == [-2.5, nil, 5, nil, nil])
            #expect(history.first?.grade == "B")
            #expect(history.first?.bySeverity == ["serious": 1, "minor": 2])
            #expect(history.first?.totalIssues == 3)
            #expect(history.first?.fixedSinceBaseline == 1)
            #expect(history.first?.scheduledTime == "2030-06-01T05:00:00Z")
            #expect(history.first?.completionTime == "2030-06-01T05:30:00Z")
            #expect(status.lastSuccessfulTime == "2030-06-01T05:30:00Z")
            #expect(status.active == nil)
            #expect(status.activeCount == 0)
            #expect(harness.events.reasons().filter { $0 == "SuccessfulDelete" }.count == 2)
        }
    }

    @Test("each run's baseline is the schedule's most recent Done run")
    func baselineChaining() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly()
            func run(_ hour: Int) async throws -> ScanJob {
                try await harness.reconcile(at: String(format: "2030-06-01T%02d:00:01Z", hour))
                let name = try ScheduleHarness.jobName(String(format: "2030-06-01T%02d:00:00Z", hour))
                return try #require(try await harness.jobs().first { $0.metadata.name == name })
            }
            let first = try await run(1)
            #expect(first.spec.baselineRef == nil)
            try await harness.finish(first.metadata.name!, .done, score: 90)
            let second = try await run(2)
            #expect(second.spec.baselineRef?.name == first.metadata.name)
            try await harness.finish(second.metadata.name!, .failed)
            let third = try await run(3)
            #expect(third.spec.baselineRef?.name == first.metadata.name, "a failed run is no baseline")
            try await harness.finish(third.metadata.name!, .done, score: 91)
            let fourth = try await run(4)
            #expect(fourth.spec.baselineRef?.name == third.metadata.name)
        }
    }

    @Test("a template's own baselineRef is kept")
    func pinnedBaseline() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly { $0.jobTemplate.spec.baselineRef = LocalObjectReference(name: "golden") }
            try await harness.reconcile(at: "2030-06-01T01:00:01Z")
            #expect(try await harness.jobs().first?.spec.baselineRef?.name == "golden")
        }
    }

    @Test("a crash between creating the job and writing the status never yields a second job for the start")
    func crashAfterCreate() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly()
            harness.client.failNextScheduleStatusWrite()
            await #expect(throws: FaultyClient.Injected.self) { try await harness.reconcile(at: "2030-06-01T01:00:01Z") }
            let name = try ScheduleHarness.jobName("2030-06-01T01:00:00Z")
            #expect(try await harness.jobNames() == [name])
            #expect(try await harness.schedule().status?.lastScheduleTime == "2030-06-01T00:00:00Z")
            // The restarted controller sees the job and records it.
            try await harness.reconcile(at: "2030-06-01T01:00:05Z")
            #expect(try await harness.jobNames() == [name])
            #expect(try await harness.schedule().status?.lastScheduleTime == "2030-06-01T01:00:00Z")
            #expect(try await harness.schedule().status?.active?.map(\.name) == [name])
        }
    }

    @Test("the same crash with a job cache that has not seen the job: AlreadyExists, and still one job")
    func crashAfterCreateStaleCache() async throws {
        try await withScheduleHarness { harness in
            harness.jobSource = BlindJobSource()
            try await harness.createHourly()
            harness.client.failNextScheduleStatusWrite()
            await #expect(throws: FaultyClient.Injected.self) { try await harness.reconcile(at: "2030-06-01T01:00:01Z") }
            try await harness.reconcile(at: "2030-06-01T01:00:05Z")
            let name = try ScheduleHarness.jobName("2030-06-01T01:00:00Z")
            #expect(try await harness.jobNames() == [name])
            #expect(try await harness.schedule().status?.lastScheduleTime == "2030-06-01T01:00:00Z")
            #expect(try await harness.schedule().status?.active?.map(\.name) == [name], "kept: the API still has it")
            #expect(harness.events.reasons() == ["SuccessfulCreate"])
        }
    }

    @Test("a job of the same name that the schedule does not own is left alone, with FailedCreate")
    func foreignJob() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly()
            let name = try ScheduleHarness.jobName("2030-06-01T01:00:00Z")
            _ = try await harness.store.create(
                .scanJob,
                try JSONValue(encoding: ScanJob(
                    metadata: ObjectMeta(name: name, namespace: "default"),
                    spec: ScanJobSpec(target: ScanTarget(urls: ["https://example.org/"]), scanners: [ScannerSelection(name: "seo")]))))
            try await harness.reconcile(at: "2030-06-01T01:00:01Z")
            #expect(try await harness.jobs().first?.spec.target.urls == ["https://example.org/"])
            #expect(harness.events.reasons() == ["FailedCreate"])
            #expect(try await harness.schedule().status?.lastScheduleTime == "2030-06-01T00:00:00Z")
        }
    }

    @Test("a wall-clock start skipped by daylight saving runs once, at the end of the gap")
    func daylightSaving() async throws {
        try await withScheduleHarness { harness in
            try await harness.create("30 2 * * *") { $0.timeZone = "Europe/Berlin" }
            try await harness.setLastScheduleTime("2030-03-30T01:30:00Z")
            // 2030-03-31: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
            try await harness.reconcile(at: "2030-03-31T00:59:00Z")
            #expect(try await harness.jobNames() == [])
            let result = try await harness.reconcile(at: "2030-03-31T01:00:10Z")
            #expect(try await harness.jobNames() == [try ScheduleHarness.jobName("2030-03-31T01:00:00Z")])
            // The next start: 02:30 CEST on April 1st, 00:30 UTC.
            #expect(result == .requeue(after: .seconds(23 * 3600 + 29 * 60 + 50) + .milliseconds(100)))
        }
    }

    @Test("a stored schedule that does not parse is a warning and no run")
    func invalidStored() async throws {
        try await withScheduleHarness { harness in
            try await harness.create("0 25 * * *")
            #expect(try await harness.reconcile(at: "2030-06-01T01:00:00Z") == .done)
            #expect(try await harness.jobNames() == [])
            let events = harness.events.all
            #expect(events.map(\.reason) == ["InvalidSchedule"])
            #expect(events.first?.message == #"field 2 "25": hour must be 0-23"#)
        }
    }

    @Test("a deleted schedule, or one being deleted, gets no runs")
    func deleted() async throws {
        try await withScheduleHarness { harness in
            #expect(try await harness.reconcile() == .done)
            try await harness.create("* * * * *")
            var object = try await harness.store.get(.scanSchedule, namespace: "default", name: "nightly")
            object["metadata"]?["finalizers"] = ["example.com/hold"]
            _ = try await harness.store.update(.scanSchedule, object)
            _ = try await harness.store.delete(.scanSchedule, namespace: "default", name: "nightly")
            #expect(try await harness.reconcile(at: "2031-01-01T00:00:00Z") == .done)
            #expect(try await harness.jobNames() == [])
        }
    }

    @Test("an active job deleted behind the controller's back leaves active with MissingJob")
    func missingJob() async throws {
        try await withScheduleHarness { harness in
            try await harness.createHourly()
            try await harness.reconcile(at: "2030-06-01T01:00:01Z")
            let name = try ScheduleHarness.jobName("2030-06-01T01:00:00Z")
            _ = try await harness.store.delete(.scanJob, namespace: "default", name: name)
            try await harness.reconcile(at: "2030-06-01T01:10:00Z")
            #expect(try await harness.schedule().status?.active == nil)
            #expect(harness.events.reasons() == ["SuccessfulCreate", "MissingJob"])
        }
    }
}
