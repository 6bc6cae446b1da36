import Foundation
import StageflowAPI
import StageflowCLI
import Testing

@Suite("Schedule commands")
struct ScheduleCommandsTests {
    static let schedule: JSONValue = [
        "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanSchedule",
        "metadata": ["name": "nightly", "namespace": "default", "uid": "s-1"],
        "spec": ["schedule": "0 2 * * *", "jobTemplate": ["spec": ["target": ["urls": ["https://example.com/"]], "scanners": [["name": "seo"]]]]],
        "status": [
            "lastScheduleTime": "2030-06-02T02:00:00Z",
            "history": [
                ["job": "nightly-2", "scheduledTime": "2030-06-02T02:00:00Z", "phase": "Done", "score": 82.5, "scoreDelta": -7.5, "grade": "B",
                 "totalIssues": 9, "newSinceBaseline": 2, "fixedSinceBaseline": 0],
                ["job": "nightly-1", "scheduledTime": "2030-06-01T02:00:00Z", "phase": "Done", "score": 90, "grade": "A", "totalIssues": 7],
            ],
        ],
    ]

    @Test("describe scanschedule prints the run history as a table, newest first, with the score change")
    func historyTable() throws {
        let text = DescribeRenderer(now: Date(timeIntervalSince1970: 1_907_000_000)).render(Self.schedule, events: [])
        let lines = text.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex(of: "History:"))
        #expect(lines[start + 1].contains("Job") && lines[start + 1].contains("Δ") && lines[start + 1].contains("New"))
        let newest = lines[start + 3]
        #expect(newest.contains("nightly-2") && newest.contains("82.5") && newest.contains("-7.5") && newest.contains("B"), "\(newest)")
        #expect(lines[start + 4].contains("nightly-1") && lines[start + 4].contains("90"), "\(lines[start + 4])")
        #expect(!text.contains("Score Delta:"), "the history is not printed twice:\n\(text)")
        #expect(text.contains("Last Schedule Time:"))
        var empty = Self.schedule
        empty["status"] = ["lastScheduleTime": "2030-06-02T02:00:00Z"]
        #expect(DescribeRenderer().render(empty, events: []).contains("History:  <none>"))
    }

    @Test("create job --from names a schedule; anything else is a usage error")
    func createJobArguments() throws {
        let parsed = try Stageflowctl.parseAsRoot(["create", "job", "now", "--from", "scanschedule/nightly"]) as? CreateJob
        #expect(parsed?.name == "now" && parsed?.from == "scanschedule/nightly")
        #expect(try Stageflowctl.parseAsRoot(["create", "job", "--from=ss/nightly"]) is CreateJob)
        #expect(throws: (any Error).self) { try Stageflowctl.parseAsRoot(["create", "job", "--from", "scanjob/nightly"]) }
        #expect(throws: (any Error).self) { try Stageflowctl.parseAsRoot(["create", "job", "--from", "nightly"]) }
    }

    @Test("a run made by hand is the schedule's: template, label, owner, start time, and the latest Done run as baseline")
    func manualRun() {
        let done: (String, String) -> JSONValue = { name, time in
            [
                "metadata": [
                    "name": .string(name), "annotations": [ScheduledJobBuilder.scheduledTimeAnnotation: .string(time)],
                    "ownerReferences": [["apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanSchedule", "name": "nightly", "uid": "s-1", "controller": true]],
                ],
                "status": ["phase": "Done"],
            ]
        }
        var failed = done("nightly-3", "2030-06-03T02:00:00Z")
        failed["status"] = ["phase": "Failed"]
        let foreign: JSONValue = ["metadata": ["name": "other", "annotations": [ScheduledJobBuilder.scheduledTimeAnnotation: "2030-07-01T00:00:00Z"]], "status": ["phase": "Done"]]
        let jobs = [done("nightly-1", "2030-06-01T02:00:00Z"), done("nightly-2", "2030-06-02T02:00:00Z"), failed, foreign]
        let baseline = ScheduledJobBuilder.latestDone(jobs, scheduleUID: "s-1")
        #expect(baseline == "nightly-2")
        let job = ScheduledJobBuilder(schedule: Self.schedule).job(named: "nightly-manual-1", scheduled: "2030-06-03T10:00:00Z", baseline: baseline)
        #expect(job[path: ["metadata", "labels", ScheduledJobBuilder.scheduleLabel]] == "nightly")
        #expect(job[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"] == "s-1")
        #expect(job[path: ["spec", "baselineRef", "name"]] == "nightly-2")
        #expect(job[path: ["spec", "scanners"]] == [["name": "seo"]])
    }
}
