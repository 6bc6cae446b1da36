import Foundation
import StageflowAPI

extension DescribeRenderer {
    /// The description of an object followed by its Events, oldest first, as `kubectl describe` shows them: a
    /// repeated event says how often and since when (`10s (x1000 over 5m)`). A ScanSchedule's run history and a
    /// ScanJob's timeline are tables of their own before them.
    public func render(_ object: JSONValue, events: [JSONValue]) -> String {
        let description: String
        switch object["kind"]?.stringValue {
        case ResourceKind.scanSchedule.kind: description = renderSchedule(object)
        case ResourceKind.scanJob.kind: description = renderJob(object)
        default: description = render(object)
        }
        return description + "\n" + eventsSection(events)
    }

    /// `Events:` and a table of events, or `Events:  <none>`.
    public func eventsSection(_ events: [JSONValue]) -> String {
        guard !events.isEmpty else { return "Events:  <none>" }
        let sorted = events.sorted { lastSeen($0) < lastSeen($1) }
        let header = ["Type", "Reason", "Age", "From", "Message"]
        let rows = sorted.map { event -> [String] in
            [
                event["type"]?.stringValue ?? "", event["reason"]?.stringValue ?? "", age(of: event),
                event[path: ["source", "component"]]?.stringValue ?? event["reportingComponent"]?.stringValue ?? "",
                (event["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            ]
        }
        var widths: [Int] = []
        let underline = header.map { String(repeating: "-", count: $0.count) }
        return "Events:\n" + TableRenderer.align([header, underline] + rows, widths: &widths).map { "  " + $0 }.joined(separator: "\n")
    }

    private func lastSeen(_ event: JSONValue) -> String {
        event["lastTimestamp"]?.stringValue ?? event["firstTimestamp"]?.stringValue ?? ""
    }

    private func age(of event: JSONValue) -> String {
        let first = event["firstTimestamp"]?.stringValue.map { HumanDuration.since($0, now: now) } ?? "<unknown>"
        let count = event["count"]?.intValue ?? 1
        guard count > 1, let last = event["lastTimestamp"]?.stringValue else { return first }
        return "\(HumanDuration.since(last, now: now)) (x\(count) over \(first))"
    }
}
