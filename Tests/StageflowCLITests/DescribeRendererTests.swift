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
}
