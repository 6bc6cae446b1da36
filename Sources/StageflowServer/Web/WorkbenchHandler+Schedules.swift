import Foundation
import Hummingbird
import StageflowAPI
import StageflowCron
import StageflowStore

/// The schedules list, a schedule's page with the trend of its runs, and its "Run now" form (docs/schedules.md).
extension WorkbenchHandler {
    /// The schedules page's context: every schedule with its cadence in words, next start, latest score and
    /// the sparkline of its recent scores.
    func schedulesContext(now: Date = Date()) async throws -> [String: Any] {
        let schedules = try await store.listAll(.scanSchedule, namespace: nil).items.sorted {
            (Self.namespace(of: $0), Self.name(of: $0)) < (Self.namespace(of: $1), Self.name(of: $1))
        }
        let rows: [[String: Any]] = schedules.map { schedule in
            let namespace = Self.namespace(of: schedule), name = Self.name(of: schedule)
            let runs = Self.history(schedule)
            let latest = runs.first { $0.score != nil }
            var row = Self.cadence(schedule, now: now)
            row["namespace"] = namespace
            row["name"] = name
            row["href"] = Self.scheduleURL(namespace, name)
            row["score"] = latest?.score.map { String(Int($0.rounded())) } ?? "–"
            if let delta = latest?.scoreDelta { row["delta"] = Self.signed(delta) }
            if let sparkline = Self.chart(runs, namespace: namespace).sparkline() { row["sparkline"] = sparkline }
            return row
        }
        return ["schedules": rows, "empty": rows.isEmpty]
    }

    /// A schedule's page: what it does and when, its active runs, the chart of its history and the history as a
    /// table; a "Run now" form for viewers who may create jobs in its namespace.
    func scheduleContext(_ schedule: JSONValue, viewer: WebViewer, now: Date = Date(), error: String? = nil) -> [String: Any] {
        let namespace = Self.namespace(of: schedule), name = Self.name(of: schedule)
        let runs = Self.history(schedule)
        var context = Self.cadence(schedule, now: now)
        context["namespace"] = namespace
        context["name"] = name
        context["runURL"] = Self.scheduleURL(namespace, name) + "/run"
        context["concurrencyPolicy"] = schedule[path: ["spec", "concurrencyPolicy"]]?.stringValue ?? "Allow"
        context["urls"] = (schedule[path: ["spec", "jobTemplate", "spec", "target", "urls"]]?.arrayValue ?? []).compactMap(\.stringValue)
        context["scanners"] = (schedule[path: ["spec", "jobTemplate", "spec", "scanners"]]?.arrayValue ?? [])
            .compactMap { $0["name"]?.stringValue }.joined(separator: ", ")
        context["lastSchedule"] = Self.localTime(schedule[path: ["status", "lastScheduleTime"]]?.stringValue)
        context["lastSuccess"] = Self.localTime(schedule[path: ["status", "lastSuccessfulTime"]]?.stringValue)
        context["active"] = (schedule[path: ["status", "active"]]?.arrayValue ?? []).compactMap { reference -> [String: Any]? in
            guard let job = reference["name"]?.stringValue else { return nil }
            return ["name": job, "href": Self.jobURL(namespace, job)]
        }
        context["canRun"] = Authorizer.allows(viewer.principal, .init(verb: "create", kind: .scanJob, namespace: namespace))
        if let error { context["error"] = error }
        if let chart = Self.chart(runs, namespace: namespace).chart() { context["chart"] = chart }
        context["runs"] = runs.map { run -> [String: Any] in
            var row: [String: Any] = [
                "job": run.job, "statusURL": Self.jobURL(namespace, run.job), "phase": run.phase.rawValue,
                "failed": run.phase == .failed, "score": run.score.map { String(Int($0.rounded())) } ?? "–",
                "delta": run.scoreDelta.map(Self.signed) ?? "", "grade": run.grade ?? "",
                "issues": run.totalIssues.map(String.init) ?? "–", "new": run.newSinceBaseline.map(String.init) ?? "–",
                "fixed": run.fixedSinceBaseline.map(String.init) ?? "–",
            ]
            if let time = Self.localTime(run.scheduledTime) { row["scheduled"] = time }
            if run.score != nil { row["reportURL"] = Self.jobURL(namespace, run.job) + "/report" }
            if let diff = Self.diffURL(run, namespace: namespace) { row["diffURL"] = diff }
            return row
        }
        context["hasRuns"] = !runs.isEmpty
        return context
    }

    /// "Run now": a job from the schedule's template, diffed against its latest Done run, as
    /// `stageflowctl create job --from=scanschedule/NAME` makes it; then that job's status page.
    func runSchedule(_ request: Request, namespace: String, name: String, viewer: WebViewer) async throws -> Response {
        let data = try await RequestDocument.collect(request, limit: maxRequestBodyBytes)
        let form = FormBody(String(decoding: data, as: UTF8.self))
        guard form["csrf"] == viewer.csrf else {
            return html(
                ["heading": "The form has expired", "message": "Reload the schedule's page and press Run now again."],
                title: "Form expired", page: "error", status: .forbidden, viewer: viewer)
        }
        guard let schedule = try await schedule(namespace: namespace, name: name) else { return scheduleNotFound(namespace, name) }
        do {
            try RequestAccess.authorizeWorkbenchCreation(viewer.principal, namespace: namespace)
            let runs = try await store.listAll(
                .scanJob, namespace: namespace,
                options: ListOptions(labelSelector: LabelSelector(matching: [ScheduledJobBuilder.scheduleLabel: name])))
            let job = ScheduledJobBuilder(schedule: schedule).manualRun(named: nil, at: Date(), runs: runs.items)
            let created = try await resources.createScanJob(job, principal: viewer.principal, fieldManager: "stageflow-workbench")
            return Response(status: .seeOther, headers: [.location: Self.jobURL(namespace, Self.name(of: created))])
        } catch let status as APIStatus {
            let context = scheduleContext(schedule, viewer: viewer, error: "The run was not started: \(status.message)")
            return html(context, title: "Schedule \(name)", page: "schedule", status: HTTPResponse.Status(code: status.code), viewer: viewer)
        }
    }

    func schedule(namespace: String, name: String) async throws -> JSONValue? {
        try await stored(.scanSchedule, namespace: namespace, name: name)
    }

    func scheduleNotFound(_ namespace: String, _ name: String) -> Response {
        notFound("There is no schedule \(name) in the namespace \(namespace).")
    }

    /// The schedule's cadence: the expression, in words with its time zone, whether it is suspended, and its
    /// next start (shown in the viewer's time zone by the page's script, in UTC without it).
    static func cadence(_ schedule: JSONValue, now: Date) -> [String: Any] {
        let expression = schedule[path: ["spec", "schedule"]]?.stringValue ?? ""
        let zoneName = schedule[path: ["spec", "timeZone"]]?.stringValue ?? "UTC"
        let suspended = schedule[path: ["spec", "suspend"]]?.boolValue == true
        var context: [String: Any] = ["expression": expression, "timeZone": zoneName, "suspended": suspended]
        guard let cron = try? CronSchedule(parsing: expression), let zone = try? CronTimeZone.named(zoneName) else {
            context["words"] = expression
            return context
        }
        context["words"] = cron.inWords + (zoneName == "UTC" ? " (UTC)" : " (\(zoneName) time)")
        if !suspended, let next = cron.next(after: now, in: zone) {
            context["next"] = localTime(Timestamp.string(next))
        }
        return context
    }

    /// A `<time>` element's parts for an RFC 3339 instant: the script rewrites the text in the viewer's zone.
    static func localTime(_ instant: String?) -> [String: Any]? {
        guard let instant, let date = Timestamp.date(instant) else { return nil }
        let iso = Timestamp.string(date)
        return ["datetime": iso, "text": iso.prefix(10) + " " + iso.dropFirst(11).prefix(5) + " UTC"]
    }

    /// The runs in `status.history`, newest first; entries that do not decode are left out.
    static func history(_ schedule: JSONValue) -> [ScheduleRun] {
        (schedule[path: ["status", "history"]]?.arrayValue ?? []).compactMap { try? $0.decode(as: ScheduleRun.self) }
    }

    /// The picture of `runs` (newest first), oldest first.
    static func chart(_ runs: [ScheduleRun], namespace: String) -> ScoreChart {
        ScoreChart(
            points: runs.reversed().map { run in
                let label = run.scheduledTime.flatMap(Timestamp.date).map { String(Timestamp.string($0).dropFirst(5).prefix(5)) } ?? ""
                return ScoreChart.Point(
                    job: run.job, label: label, score: run.score, issues: run.totalIssues, failed: run.phase == .failed,
                    reportURL: jobURL(namespace, run.job) + "/report", diffURL: diffURL(run, namespace: namespace),
                    statusURL: jobURL(namespace, run.job))
            })
    }

    /// The comparison with the previous run, on the run's report page, when the run had a baseline.
    static func diffURL(_ run: ScheduleRun, namespace: String) -> String? {
        guard run.newSinceBaseline != nil || run.fixedSinceBaseline != nil else { return nil }
        return jobURL(namespace, run.job) + "/report#diff-heading"
    }

    static func signed(_ delta: Double) -> String {
        let rounded = Int(delta.rounded())
        return rounded > 0 ? "+\(rounded)" : rounded == 0 ? "±0" : "−\(-rounded)"
    }

    static func namespace(of object: JSONValue) -> String { object[path: ["metadata", "namespace"]]?.stringValue ?? "default" }
    static func name(of object: JSONValue) -> String { object[path: ["metadata", "name"]]?.stringValue ?? "" }
    static func scheduleURL(_ namespace: String, _ name: String) -> String { "/schedules/\(pathSegment(namespace))/\(pathSegment(name))" }
    static func jobURL(_ namespace: String, _ name: String) -> String { "/scans/\(pathSegment(namespace))/\(pathSegment(name))" }
}
