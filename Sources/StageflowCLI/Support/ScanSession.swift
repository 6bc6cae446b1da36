import Foundation
import StageflowAPI
import StageflowClient
import StageflowReport

/// One scan as `scan` and `project` run it: check the request against the server, create the ScanJob, watch it
/// to the end with live progress, print the summary and apply the gate.
public struct ScanSession: Sendable {
    /// The client.
    public let client: StageflowClient
    /// Where the progress goes.
    public let style: ProgressDisplay.Style

    /// A session.
    public init(client: StageflowClient, style: ProgressDisplay.Style) {
        self.client = client
        self.style = style
    }

    /// The ids of the registered Scanners.
    public func registeredScanners() async throws -> [String] {
        try await client.listAll(.scanner, namespace: nil).items.compactMap { scanner in
            scanner[path: ["spec", "id"]]?.stringValue ?? scanner[path: ["metadata", "name"]]?.stringValue
        }.sorted()
    }

    /// Fails with a message naming the scanners that are not registered, and the baseline when it does not exist.
    public func check(_ request: ScanRequest) async throws {
        let registered = try await registeredScanners()
        let unknown = request.scanners.filter { !registered.contains($0) }
        if !unknown.isEmpty {
            let list = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            throw CLIError(
                "unknown scanner\(unknown.count == 1 ? "" : "s") \(list) (registered: \(registered.joined(separator: ", ")))",
                exitCode: 2)
        }
        if let baseline = request.baseline {
            do {
                _ = try await client.get(.scanJob, name: baseline, namespace: request.namespace)
            } catch let status as APIStatus where status.code == 404 {
                throw CLIError("the baseline scanjobs/\(baseline) does not exist in namespace \(request.namespace)", exitCode: 2)
            }
        }
    }

    /// Creates the ScanJob and returns its name.
    public func create(_ request: ScanRequest) async throws -> String {
        let created = try await client.create(request.object, namespace: request.namespace)
        guard let name = created[path: ["metadata", "name"]]?.stringValue else {
            throw CLIError("the server created a ScanJob without a name", exitCode: 2)
        }
        return name
    }

    /// Watches the job until it is Done or Failed, showing progress; throws when `timeout` passes first.
    public func waitFinished(name: String, namespace: String, timeout: Duration?) async throws -> JSONValue {
        let display = ProgressDisplay(name: name, style: style)
        defer { display.finish() }
        guard let timeout else { return try await watch(name: name, namespace: namespace, display: display) }
        let client = self.client
        return try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            group.addTask { try await watch(name: name, namespace: namespace, display: display) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            if let job = try await group.next()! { return job }
            let phase = (try? await client.get(.scanJob, name: name, namespace: namespace))?[path: ["status", "phase"]]?.stringValue
            throw CLIError(
                "timed out after \(Self.format(timeout)) waiting for scanjobs/\(name) to finish (phase \(phase ?? "unknown"))",
                exitCode: 2)
        }
    }

    private func watch(name: String, namespace: String, display: ProgressDisplay) async throws -> JSONValue {
        var polling = false
        while true {
            try Task.checkCancellation()
            let object: JSONValue
            do {
                object = try await client.get(.scanJob, name: name, namespace: namespace)
            } catch let status as APIStatus where status.code == 404 {
                throw CLIError("scanjobs/\(name) was deleted while waiting for it", exitCode: 2)
            }
            let progress = ScanProgress(job: object)
            display.update(progress)
            if progress.isFinished { return object }
            if polling {
                try await Task.sleep(for: .seconds(1))
                continue
            }
            let options = ListOptions(
                fieldSelector: FieldSelector(equal: [("metadata.name", name)]), resourceVersion: object[path: ["metadata", "resourceVersion"]]?.stringValue)
            do {
                for try await event in try await client.watch(.scanJob, namespace: namespace, options: options) {
                    guard event.object[path: ["metadata", "name"]]?.stringValue == name else { continue }
                    switch event.type {
                    case .added, .modified:
                        let progress = ScanProgress(job: event.object)
                        display.update(progress)
                        if progress.isFinished { return event.object }
                    case .deleted:
                        throw CLIError("scanjobs/\(name) was deleted while waiting for it", exitCode: 2)
                    case .bookmark, .error:
                        continue
                    }
                }
                try await Task.sleep(for: .milliseconds(200))
            } catch let status as APIStatus where status.code == 410 {
                continue
            } catch let status as APIStatus where [400, 405, 406, 501].contains(status.code) {
                polling = true
            }
        }
    }

    /// The lines printed when the job has finished: phase, score, grade, counts by severity, the baseline diff,
    /// scanners, and where the report is.
    public static func summary(of job: JSONValue, server: URL, namespace: String) -> [String] {
        let name = job[path: ["metadata", "name"]]?.stringValue ?? "?"
        let status = job["status"]
        let phase = status?["phase"]?.stringValue ?? "Pending"
        var lines = ["scanjob.stageflow.dev/\(name) \(phase)"]
        if let summary = status?["summary"] {
            var line = "  score"
            if let score = summary["score"]?.doubleValue {
                line += " \(String(format: "%.1f", score))/100"
                if let grade = summary["grade"]?.stringValue { line += " (grade \(grade)\(summary["partial"]?.boolValue == true ? ", partial" : ""))" }
            } else {
                line += " none"
            }
            let total = summary["totalIssues"]?.intValue ?? 0
            line += " · \(total) \(total == 1 ? "issue" : "issues")"
            let counts = Severity.allCases.sorted { $0 > $1 }.map { severity in
                "\(summary[path: ["bySeverity", severity.rawValue]]?.intValue ?? 0) \(severity.rawValue)"
            }
            line += ": " + counts.joined(separator: ", ")
            if let review = summary["needsReview"]?.intValue, review > 0 { line += " · \(review) to review" }
            lines.append(line)
            if let note = summary["scoreNote"]?.stringValue { lines.append("  \(note)") }
            if let categories = summary["categories"]?.objectValue, !categories.isEmpty {
                let order = ReportCategory.allCases.map(\.rawValue)
                let names = categories.keys.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
                let parts = names.map { name -> String in
                    guard let score = categories[name]?["score"]?.doubleValue else { return "\(name) none" }
                    return "\(name) \(String(format: "%.1f", score))"
                }
                lines.append("  categories: " + parts.joined(separator: ", "))
            }
            if let new = summary["newSinceBaseline"]?.intValue {
                let fixed = summary["fixedSinceBaseline"]?.intValue ?? 0
                let baseline = job[path: ["spec", "baselineRef", "name"]]?.stringValue.map { " scanjobs/\($0)" } ?? ""
                lines.append("  since baseline\(baseline): \(new) \(new == 1 ? "issue" : "issues") with new elements, \(fixed) fixed")
            }
        }
        let scanners = (status?["scanners"]?.arrayValue ?? []).map { scanner -> String in
            var text = "\(scanner["name"]?.stringValue ?? "?") \(scanner["state"]?.stringValue ?? "?")"
            if let findings = scanner["findings"]?.intValue { text += " (\(findings) findings)" }
            return text
        }
        if !scanners.isEmpty { lines.append("  scanners: " + scanners.joined(separator: ", ")) }
        if phase == "Failed", let message = failureMessage(of: job) { lines.append("  failed: \(message)") }
        if status?[path: ["reportRef", "jsonKey"]] != nil {
            let namespaceFlag = namespace == Names.defaultNamespace ? "" : " -n \(namespace)"
            lines.append("  report: stageflowctl report \(name)\(namespaceFlag) -o html --output \(name).html")
            var base = server.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            lines.append("          \(base)/apis/\(ResourceKind.group)/\(ResourceKind.version)/namespaces/\(namespace)/scanjobs/\(name)/report")
        }
        return lines
    }

    /// Failure reasons that mean the scan ran but nothing completed: no score rather than an error.
    static let incompleteReasons: Set<String> = ["AllScannersFailed", "DeadlineExceeded"]

    /// The reason of the job's `Failed` condition, if any.
    public static func failureReason(of job: JSONValue) -> String? {
        job[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == "Failed" }?["reason"]?.stringValue
    }

    /// The message of the job's `Failed` condition, if any.
    public static func failureMessage(of job: JSONValue) -> String? {
        job[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == "Failed" }?["message"]?.stringValue
    }

    /// After the summary: a job that failed because no scanner completed (or they ran past their deadline) is
    /// a scan without a score (exit 3); another Failed job is an error (exit 2); a Done one is gated on its
    /// report when a threshold is set (exit 1 when crossed).
    public func conclude(job: JSONValue, name: String, namespace: String, gate: GateOptions) async throws {
        let phase = job[path: ["status", "phase"]]?.stringValue
        if phase != "Done" {
            let message = Self.failureMessage(of: job)
            if let reason = Self.failureReason(of: job), Self.incompleteReasons.contains(reason) {
                throw ScanIncomplete("scanjobs/\(name) has no score: \(message ?? reason)")
            }
            throw CLIError("the scan scanjobs/\(name) failed" + (message.map { ": \($0)" } ?? ""), exitCode: 2)
        }
        guard gate.isSet else { return }
        let report = try await ReportFetcher(client: client, namespace: namespace).report(of: name).report
        try gate.check(report)
        Console.out("gate passed")
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds >= 3600, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
