import Foundation
import StageflowAPI

extension DescribeRenderer {
    /// A ScanJob's `status.phaseTransitions` as a table: when the job was created and entered each phase, how
    /// long it spent there, and each scanner's run (by the scanner's own clock) — where a job's time went.
    /// Durations from the creation time, which has whole seconds, are marked `≈`. `Timeline:  <none>` before
    /// the controller has seen the job.
    public func timelineSection(_ job: JSONValue) -> String {
        let transitions = (job[path: ["status", "phaseTransitions"]]?.arrayValue ?? []).compactMap { entry -> (String, Date)? in
            guard let phase = entry["phase"]?.stringValue, let time = entry["time"]?.stringValue.flatMap(Self.instant) else { return nil }
            return (phase, time)
        }
        guard !transitions.isEmpty else { return "Timeline:  <none>" }
        var steps: [(String, Date)] = []
        // metadata.creationTimestamp has whole seconds: what is measured from it is marked approximate (≈).
        let createdText = job[path: ["metadata", "creationTimestamp"]]?.stringValue
        if let created = createdText.flatMap(Self.instant) { steps.append(("Created", created)) }
        let approximate = createdText.map { !$0.contains(".") } ?? false
        steps += transitions
        let header = ["Phase", "Entered", "Took"]
        var rows = steps.enumerated().map { index, step -> [String] in
            let mark = approximate && step.0 == "Created" ? "≈" : ""
            let took = index + 1 < steps.count ? mark + Self.took(steps[index + 1].1.timeIntervalSince(step.1)) : "-"
            return [step.0, step.0 == "Created" && approximate ? createdText ?? "" : Timestamp.microString(step.1), took]
        }
        if let first = steps.first, let last = steps.last, steps.count > 1 {
            rows.append(["Total", "", (approximate ? "≈" : "") + Self.took(last.1.timeIntervalSince(first.1))])
        }
        for scanner in job[path: ["status", "scanners"]]?.arrayValue ?? [] {
            guard let name = scanner["name"]?.stringValue, let started = scanner["startedAt"]?.stringValue.flatMap(Self.instant) else { continue }
            let finished = scanner["finishedAt"]?.stringValue.flatMap(Self.instant)
            let restarts = scanner["restarts"]?.intValue ?? 0
            let label = restarts > 0 ? "\(name) (\(restarts) restart\(restarts == 1 ? "" : "s"))" : name
            rows.append(["  \(label)", Timestamp.microString(started), finished.map { Self.took($0.timeIntervalSince(started)) } ?? "running"])
        }
        var widths: [Int] = []
        let underline = header.map { String(repeating: "-", count: $0.count) }
        return "Timeline:\n" + TableRenderer.align([header, underline] + rows, widths: &widths).map { "  " + $0 }.joined(separator: "\n")
    }

    /// The description of a ScanJob: its status without the phase transitions, which follow as a timeline.
    func renderJob(_ job: JSONValue) -> String {
        var shown = job
        if shown[path: ["status", "phaseTransitions"]] != nil { shown["status"]?["phaseTransitions"] = nil }
        return render(shown) + "\n" + timelineSection(job)
    }

    /// An RFC 3339 instant, with or without fractional seconds.
    static func instant(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return Timestamp.date(text)
    }

    /// `12 ms`, `1.84 s`, `3 min 5 s`.
    static func took(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.2f s", seconds) }
        let whole = Int(seconds.rounded())
        return "\(whole / 60) min \(whole % 60) s"
    }
}
