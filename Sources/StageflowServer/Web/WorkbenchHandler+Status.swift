import Foundation
import StageflowAPI
import StageflowStore

extension WorkbenchHandler {
    /// The phases a job goes through, in order, for the stepper (`Extracting` only for uploaded archives).
    static func steps(archive: Bool) -> [String] {
        (archive ? ["Pending", "Extracting", "ReadyToScan", "Scanning", "Completing", "Done"]
            : ["Pending", "ReadyToScan", "Scanning", "Completing", "Done"])
    }

    static let stepLabels = [
        "Pending": "Pending", "Extracting": "Extracting", "ReadyToScan": "Ready to scan", "Scanning": "Scanning",
        "Completing": "Completing", "Done": "Done",
    ]

    /// The status page's context: the job as it is now; the page's script keeps it current over SSE.
    func statusContext(_ job: JSONValue) -> [String: Any] {
        let namespace = job[path: ["metadata", "namespace"]]?.stringValue ?? "default"
        let name = job[path: ["metadata", "name"]]?.stringValue ?? ""
        let uid = job[path: ["metadata", "uid"]]?.stringValue ?? ""
        let phase = job[path: ["status", "phase"]]?.stringValue ?? "Pending"
        let archive = job[path: ["spec", "target", "archive"]] != nil
        let steps = Self.steps(archive: archive)
        let reached = steps.firstIndex(of: phase) ?? (phase == "Failed" ? -1 : 0)
        let stepContexts: [[String: Any]] = steps.enumerated().map { index, step -> [String: Any] in
            let state = index < reached || (index == reached && step == "Done") ? "complete" : (index == reached ? "current" : "upcoming")
            return ["step": step, "label": Self.stepLabels[step] ?? step, "state": state, "current": index == reached, "number": index + 1]
        }
        let pages = job[path: ["status", "pages"]]
        let scanned = pages?["scanned"]?.intValue ?? 0
        let total = pages?["total"]?.intValue
        return [
            "namespace": namespace, "name": name, "uid": uid, "phase": phase, "failed": phase == "Failed",
            "finished": phase == "Done" || phase == "Failed",
            "steps": stepContexts,
            "scanners": (job[path: ["status", "scanners"]]?.arrayValue ?? []).map(Self.scannerRow),
            "pagesText": total.map { "\(scanned) of \($0)" } ?? "\(scanned) of unknown",
            "urls": (job[path: ["spec", "target", "urls"]]?.arrayValue ?? []).compactMap(\.stringValue),
            "log": Self.logLines(job),
            "streamURL": "/api/v1/jobs/\(Self.pathSegment(uid))/stream",
            "reportURL": "/scans/\(Self.pathSegment(namespace))/\(Self.pathSegment(name))/report",
            "message": Self.failureMessage(job) ?? "",
        ]
    }

    static func scannerRow(_ scanner: JSONValue) -> [String: Any] {
        [
            "name": scanner["name"]?.stringValue ?? "", "state": scanner["state"]?.stringValue ?? "Pending",
            "findings": scanner["findings"]?.intValue.map(String.init) ?? "–", "message": scanner["message"]?.stringValue ?? "",
        ]
    }

    static func failureMessage(_ job: JSONValue) -> String? {
        guard job[path: ["status", "phase"]]?.stringValue == "Failed" else { return nil }
        return (job[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Failed" }?["message"]?
            .stringValue
    }

    /// Log lines for what the job's status says now: its conditions and each scanner's state and message.
    static func logLines(_ job: JSONValue) -> [String] {
        var lines: [String] = []
        for condition in job[path: ["status", "conditions"]]?.arrayValue ?? [] {
            let type = condition["type"]?.stringValue ?? ""
            let status = condition["status"]?.stringValue ?? ""
            let reason = condition["reason"]?.stringValue ?? ""
            let message = condition["message"]?.stringValue ?? ""
            lines.append("condition \(type)=\(status)" + (reason.isEmpty ? "" : " (\(reason))") + (message.isEmpty ? "" : ": \(message)"))
        }
        for scanner in job[path: ["status", "scanners"]]?.arrayValue ?? [] {
            let message = scanner["message"]?.stringValue ?? ""
            lines.append(
                "scanner \(scanner["name"]?.stringValue ?? "") \(scanner["state"]?.stringValue ?? "")" + (message.isEmpty ? "" : ": \(message)"))
        }
        return lines
    }

    /// The scans page's context: every job, newest first.
    func scansContext() async throws -> [String: Any] {
        var options = ListOptions()
        var items: [JSONValue] = []
        repeat {
            let page = try await store.list(.scanJob, namespace: nil, options: options)
            items += page.items
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        items.sort {
            ($0[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "") > ($1[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "")
        }
        let rows: [[String: Any]] = items.map { job -> [String: Any] in
            let namespace = job[path: ["metadata", "namespace"]]?.stringValue ?? ""
            let name = job[path: ["metadata", "name"]]?.stringValue ?? ""
            let summary = job[path: ["status", "summary"]]
            return [
                "uid": job[path: ["metadata", "uid"]]?.stringValue ?? "", "namespace": namespace, "name": name,
                "href": "/scans/\(Self.pathSegment(namespace))/\(Self.pathSegment(name))",
                "phase": job[path: ["status", "phase"]]?.stringValue ?? "Pending",
                "score": summary?["score"]?.doubleValue.map { String(Int($0.rounded())) } ?? "–",
                "issues": summary?["totalIssues"]?.intValue.map(String.init) ?? "–",
                "created": job[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "",
            ]
        }
        return ["jobs": rows, "empty": rows.isEmpty]
    }
}
