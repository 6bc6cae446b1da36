import Foundation
import StageflowAPI

extension DescribeRenderer {
    /// A ScanSchedule's `status.history` as a table, newest run first: when it was scheduled, how it ended, its
    /// score and the change since the run before, its grade, issues, and what is new and fixed since its
    /// baseline. `History:  <none>` before the first run finishes.
    public func historySection(_ schedule: JSONValue) -> String {
        let runs = schedule[path: ["status", "history"]]?.arrayValue ?? []
        guard !runs.isEmpty else { return "History:  <none>" }
        let header = ["Job", "Scheduled", "Phase", "Score", "Δ", "Grade", "Issues", "New", "Fixed"]
        let rows = runs.map { run -> [String] in
            [
                run["job"]?.stringValue ?? "", run["scheduledTime"]?.stringValue ?? "-", run["phase"]?.stringValue ?? "",
                Self.number(run["score"]), Self.delta(run["scoreDelta"]), run["grade"]?.stringValue ?? "-",
                Self.number(run["totalIssues"]), Self.number(run["newSinceBaseline"]), Self.number(run["fixedSinceBaseline"]),
            ]
        }
        var widths: [Int] = []
        let underline = header.map { String(repeating: "-", count: $0.count) }
        return "History:\n" + TableRenderer.align([header, underline] + rows, widths: &widths).map { "  " + $0 }.joined(separator: "\n")
    }

    /// The description of a ScanSchedule: its status without the history, which follows as a table.
    func renderSchedule(_ schedule: JSONValue) -> String {
        var shown = schedule
        if shown[path: ["status", "history"]] != nil { shown["status"]?["history"] = nil }
        return render(shown) + "\n" + historySection(schedule)
    }

    /// A number as the table shows it: at most one decimal, `-` when absent.
    static func number(_ value: JSONValue?) -> String {
        guard let value, let number = value.doubleValue else { return "-" }
        let rounded = (number * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// A score change with its sign: `+2.5`, `-10`, `0`; `-` when absent.
    static func delta(_ value: JSONValue?) -> String {
        guard let change = value?.doubleValue else { return "-" }
        let text = number(value)
        return change > 0 ? "+" + text : text
    }
}
