import Foundation
import StageflowAPI

/// The JSON body of a webhook delivery: the schedule, the job, the events, score and change, counts, the top new
/// issues with links, and a `text` field that Slack and Mattermost incoming webhooks show as the message.
public enum NotificationPayload {
    /// New issues listed at most, most severe first.
    public static let topIssues = 10

    /// The body telling `target` that `notice` met `events`.
    public static func body(_ notice: RunNotice, events: [ScheduleNotifyEvent], target: ScheduleNotifyTarget) -> JSONValue {
        let run = notice.run
        let least = target.minSeverity ?? RunNotice.defaultMinSeverity
        let listed = Array(notice.newIssues(atLeast: least).prefix(topIssues))
        var job: [String: JSONValue] = [
            "name": .string(run.job), "uid": .string(notice.jobUID), "phase": .string(run.phase.rawValue),
        ]
        job["scheduledTime"] = run.scheduledTime.map(JSONValue.string)
        job["completionTime"] = run.completionTime.map(JSONValue.string)
        job["reportURL"] = notice.reportURL.map(JSONValue.string)
        var body: [String: JSONValue] = [
            "schedule": ["namespace": .string(notice.namespace), "name": .string(notice.schedule)],
            "job": .object(job),
            "target": .string(target.name),
            "events": .array(events.map { .string($0.rawValue) }),
            "counts": [
                "total": run.totalIssues.map(JSONValue.int) ?? .null,
                "bySeverity": .object((run.bySeverity ?? [:]).mapValues(JSONValue.int)),
                "new": run.newSinceBaseline.map(JSONValue.int) ?? .null,
                "fixed": run.fixedSinceBaseline.map(JSONValue.int) ?? .null,
            ],
            "newIssues": .array(listed.map(issue)),
            "text": .string(text(notice, events: events, listed: listed, least: least)),
        ]
        body["score"] = run.score.map(JSONValue.double)
        body["grade"] = run.grade.map(JSONValue.string)
        body["previousScore"] = notice.previous?.score.map(JSONValue.double)
        body["scoreDelta"] = notice.scoreDrop.map { JSONValue.double(-$0) }
        return .object(body)
    }

    private static func issue(_ issue: NotifiedIssue) -> JSONValue {
        var fields: [String: JSONValue] = [
            "rule": .string(issue.rule), "title": .string(issue.title), "page": .string(issue.page),
            "severity": .string(issue.severity.rawValue),
        ]
        fields["link"] = issue.link.map(JSONValue.string)
        return .object(fields)
    }

    /// The message for people: what happened, the score, the new issues, the report.
    static func text(_ notice: RunNotice, events: [ScheduleNotifyEvent], listed: [NotifiedIssue], least: Severity) -> String {
        let run = notice.run
        var headline: [String] = []
        for event in events {
            switch event {
            case .failed: headline.append("the run failed")
            case .recovered: headline.append("the run succeeded again after a failure")
            case .scoreDrop: headline.append("the score fell by \(points(notice.scoreDrop ?? 0))")
            case .newIssues:
                let count = notice.newIssues(atLeast: least).count
                headline.append("\(count) new \(least == .info ? "" : "\(least.rawValue) or worse ")issue\(count == 1 ? "" : "s")")
            }
        }
        var lines = ["Stageflow: schedule \(notice.namespace)/\(notice.schedule), run \(run.job): \(headline.joined(separator: "; "))."]
        if let score = run.score {
            var line = "Score \(points(score))"
            if let grade = run.grade { line += " (\(grade))" }
            if let before = notice.previous?.score { line += ", was \(points(before))" }
            lines.append(line + ".")
        }
        for issue in listed {
            lines.append("• \(issue.severity.rawValue): \(issue.title) (\(issue.rule)) on \(issue.page)")
        }
        let more = notice.newIssues(atLeast: least).count - listed.count
        if more > 0 { lines.append("… and \(more) more.") }
        if let url = notice.reportURL { lines.append("Report: \(url)") }
        return lines.joined(separator: "\n")
    }

    /// A score with at most one decimal: `82.5`, `90`.
    static func points(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
