import Foundation
import StageflowAPI
import StageflowReport

/// The findings a journey makes, each once (by rule, page and selector), each naming its step and that step's
/// screenshot in its message: the end (an unreachable goal, a dead control, a loop), what the page did on the way
/// (script errors, failed requests, refused connections), and the accessibility violations of the states visited.
/// Selectors are stable locators, so the same problem gives the same fingerprint in every run.
struct JourneyFindings: Sendable {
    private(set) var findings: [ScannerFinding] = []
    private var seen: Set<String> = []

    mutating func add(_ finding: ScannerFinding) {
        let key = "\(finding.ruleId)|\(finding.url)|\(finding.selector ?? "")"
        if seen.insert(key).inserted { findings.append(finding) }
    }

    /// ` (step 3, screenshot artifacts/…/steps/03.jpg)`.
    static func stepNote(_ step: Int, screenshot: String?) -> String {
        " (journey step \(step)" + (screenshot.map { ", screenshot \($0)" } ?? "") + ")"
    }

    mutating func addActivity(_ activity: StepActivity, url: String, step: Int, screenshot: String?) {
        let note = Self.stepNote(step, screenshot: screenshot)
        for error in activity.scriptErrors {
            add(
                ScannerFinding(
                    ruleId: "script-error", title: "The page reported a script error during the journey",
                    message: error + note, severity: .minor, severityRaw: "script-error", url: url,
                    selector: "script:\(Self.stableText(error))",
                    howToFix: "Fix the error in the page's script; errors on the way to a goal often break it for some visitors."))
        }
        for failure in activity.failedRequests {
            add(
                ScannerFinding(
                    ruleId: "failed-request", title: "A request failed during the journey", message: failure + note,
                    severity: .moderate, severityRaw: "failed-request", url: url, selector: "request:\(Self.requestTarget(failure))",
                    howToFix: "Serve the resource, or stop requesting it."))
        }
        for refusal in activity.blocked {
            add(
                ScannerFinding(
                    ruleId: "blocked-request", title: "The page tried to reach an address the target policy refuses",
                    message: refusal + note, severity: .serious, severityRaw: "blocked-request", url: url,
                    selector: "request:\(Self.requestTarget(refusal))",
                    howToFix: "Do not send visitors (or their browsers) to private or reserved addresses; check redirects and embedded URLs."))
        }
    }

    /// The URL or `host:port` at the start of `URL: reason`, without its query.
    static func requestTarget(_ text: String) -> String {
        var target = text
        if let range = text.range(of: ": ", options: [], range: text.index(text.startIndex, offsetBy: min(text.count, 8))..<text.endIndex) {
            target = String(text[..<range.lowerBound])
        }
        if let query = target.firstIndex(of: "?") { target = String(target[..<query]) }
        return String(target.prefix(300))
    }

    /// The start of a message with digits taken out (line numbers, ids), so a repeated error keeps its selector.
    static func stableText(_ text: String) -> String {
        String(text.prefix(80).map { $0.isNumber ? "#" : $0 })
    }
}

/// What the page did during one step, with credentials masked.
struct StepActivity: Sendable {
    var scriptErrors: [String] = []
    var failedRequests: [String] = []
    var blocked: [String] = []

    mutating func merge(_ other: StepActivity) {
        scriptErrors += other.scriptErrors.filter { !scriptErrors.contains($0) }
        failedRequests += other.failedRequests.filter { !failedRequests.contains($0) }
        blocked += other.blocked.filter { !blocked.contains($0) }
    }
}
