import Foundation
import StageflowAPI
import StageflowCLI
import Testing

@Suite("Describe rendering")
struct DescribeRendererTests {
    @Test func titlesCamelCaseKeys() {
        #expect(DescribeRenderer.title("maxPages") == "Max Pages")
        #expect(DescribeRenderer.title("ttlSecondsAfterFinished") == "Ttl Seconds After Finished")
        #expect(DescribeRenderer.title("reportRef") == "Report Ref")
        #expect(DescribeRenderer.title("uid") == "Uid")
    }

    @Test func rendersSectionsAndConditionTable() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let created = now.addingTimeInterval(-600).formatted(.iso8601)
        let job: JSONValue = [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob",
            "metadata": [
                "name": "nightly", "namespace": "default", "labels": ["app": "web", "tier": "front"],
                "creationTimestamp": .string(created), "generation": 1, "resourceVersion": "42", "uid": "u-1",
            ],
            "spec": ["target": ["urls": ["https://example.com"]], "scanners": [["name": "axe"]]],
            "status": [
                "phase": "Done",
                "conditions": [["type": "Complete", "status": "True", "reason": "Done", "lastTransitionTime": .string(created)]],
            ],
        ]
        let text = DescribeRenderer(now: now).render(job)
        #expect(text.hasPrefix("""
            Name:         nightly
            Namespace:    default
            Labels:       app=web
                          tier=front
            Annotations:  <none>
            API Version:  stageflow.dev/v1alpha1
            Kind:         ScanJob
            Metadata:
              Creation Timestamp:  \(created) (10m ago)
              Generation:          1
              Resource Version:    42
              UID:                 u-1
            Spec:
              Scanners:
                Name:  axe
              Target:
                Urls:
                  https://example.com
            Status:
              Phase:  Done
              Conditions:
                Type       Status   Reason   Age   Message
                ----       ------   ------   ---   -------
                Complete   True     Done     10m
            """), "\(text)")
    }

    @Test func rendersEventsOldestFirstWithRepeats() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func time(_ secondsAgo: Double) -> JSONValue { .string(now.addingTimeInterval(-secondsAgo).formatted(.iso8601)) }
        let events: [JSONValue] = [
            [
                "type": "Warning", "reason": "ReconcileFailed", "message": "the runtime does not answer\n", "count": 1000,
                "firstTimestamp": time(300), "lastTimestamp": time(10), "source": ["component": "stageflow-controller"],
            ],
            [
                "type": "Normal", "reason": "Accepted", "message": "the job is valid and planned", "count": 1,
                "firstTimestamp": time(600), "lastTimestamp": time(600), "reportingComponent": "stageflow-controller",
            ],
        ]
        let lines = DescribeRenderer(now: now).eventsSection(events).split(separator: "\n").map(String.init)
        #expect(lines[0] == "Events:")
        #expect(lines[1].split(separator: " ").map(String.init) == ["Type", "Reason", "Age", "From", "Message"])
        #expect(lines[3].split(separator: " ").prefix(3).map(String.init) == ["Normal", "Accepted", "10m"])
        #expect(lines[4].contains("10s (x1000 over 5m)"))
        #expect(lines[4].hasSuffix("the runtime does not answer"))
        #expect(DescribeRenderer(now: now).eventsSection([]) == "Events:  <none>")
    }

    @Test("a ScanJob's timeline: when it entered each phase, how long each took, the total and each scanner's run")
    func rendersJobTimeline() {
        let job: JSONValue = [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob",
            "metadata": ["name": "quick", "namespace": "default", "creationTimestamp": "2026-12-07T10:00:00Z"],
            "spec": ["target": ["urls": ["https://example.com"]], "scanners": [["name": "axe"]]],
            "status": [
                "phase": "Done",
                "phaseTransitions": [
                    ["phase": "ReadyToScan", "time": "2026-12-07T10:00:00.012000Z"],
                    ["phase": "Scanning", "time": "2026-12-07T10:00:00.020000Z"],
                    ["phase": "Completing", "time": "2026-12-07T10:00:01.860000Z"],
                    ["phase": "Done", "time": "2026-12-07T10:00:01.900000Z"],
                ],
                "scanners": [
                    ["name": "axe", "state": "Succeeded", "startedAt": "2026-12-07T10:00:00.025000Z", "finishedAt": "2026-12-07T10:00:01.800000Z"],
                    [
                        "name": "seo", "state": "Succeeded", "startedAt": "2026-12-07T10:00:00.025000Z",
                        "finishedAt": "2026-12-07T10:00:01.025000Z", "restarts": 1,
                    ],
                ],
            ],
        ]
        let text = DescribeRenderer(now: Date()).render(job, events: [])
        #expect(text.contains("Timeline:\n"))
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains { $0.hasPrefix("Created") && $0.contains("2026-12-07T10:00:00Z") && $0.hasSuffix("≈12 ms") })
        #expect(lines.contains { $0.hasPrefix("ReadyToScan") && $0.contains("2026-12-07T10:00:00.012000Z") && $0.hasSuffix("8 ms") })
        #expect(lines.contains { $0.hasPrefix("Scanning") && $0.hasSuffix("1.84 s") })
        #expect(lines.contains { $0.hasPrefix("Done") && $0.hasSuffix("-") })
        #expect(lines.contains { $0.hasPrefix("Total") && $0.hasSuffix("≈1.90 s") }, "creation has whole seconds")
        #expect(lines.contains { $0.hasPrefix("axe") && $0.hasSuffix("1.77 s") })
        #expect(lines.contains { $0.hasPrefix("seo (1 restart)") && $0.hasSuffix("1.00 s") }, "a restarted scanner says so")
        #expect(!text.contains("Phase Transitions:"), "the transitions are shown once, as the timeline")
        let unseen = DescribeRenderer(now: Date()).render(["kind": "ScanJob", "metadata": ["name": "new"]], events: [])
        #expect(unseen.contains("Timeline:  <none>"))
    }
}
