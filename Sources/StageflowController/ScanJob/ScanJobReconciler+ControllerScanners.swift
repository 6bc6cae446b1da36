import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowRuntime

/// Scanners that a long-lived controller runs itself (`entry.controller`, the vision agent's `ai-navigator`): no
/// container of the job's pod; that controller writes `artifacts/<uid>/<scanner>/results.json` (and a
/// `progress.json` while it works), and this controller observes them as it observes a container's results, under
/// the same scanning deadline. It stays the only writer of the job's status.
extension ScanJobReconciler {
    /// Whether the plan needs a pod: an archive to serve, or a scanner with a container.
    func needsPod(_ context: JobContext, plan: ScanPlan) -> Bool {
        context.job.spec.target.archive != nil || !plan.containers.isEmpty
    }

    /// The statuses scanners start scanning with: Pending, or Skipped (saying what to configure) for a scanner whose
    /// controller is not running. Decided once, when scanning starts.
    func initialScannerStatuses(_ plan: ScanPlan) async -> [ScanJobScannerStatus] {
        var statuses: [ScanJobScannerStatus] = []
        var running: [String: Bool] = [:]
        for planned in plan.scanners {
            var status = ScanJobScannerStatus(name: planned.id, state: "Pending")
            if let controller = planned.entry.controller {
                if running[controller] == nil { running[controller] = await scannerControllerIsRunning(controller) }
                if running[controller] == false {
                    status.state = "Skipped"
                    status.message = "skipped: " + ScannerController.skipMessage(controller)
                    status.finishedAt = stamp()
                }
            }
            statuses.append(status)
        }
        return statuses
    }

    /// Whether a scanner controller holds its Lease.
    func scannerControllerIsRunning(_ controller: String) async -> Bool {
        let lease = try? await client.get(.lease, namespace: ScannerController.leaseNamespace, name: ScannerController.leaseName(controller))
        return ScannerController.isRunning(lease: lease, now: now())
    }

    /// A controller-run scanner's state: Succeeded or Failed once its results are there (a failed journey's results
    /// say why), Running with the controller's progress while it works, Pending before.
    func observeControllerRun(_ planned: PlannedScanner, previous: ScanJobScannerStatus, uid: String) async throws -> ScanJobScannerStatus {
        var status = previous
        if ["Succeeded", "Failed", "Skipped"].contains(status.state) { return status }
        let prefix = try ObjectKeys.scannerPrefix(jobUID: uid, scanner: planned.id)
        if try await objects.exists(prefix + "results.json") {
            let data = try await objects.get(prefix + "results.json")
            status.startedAt = status.startedAt ?? stamp()
            if let results = try? JSONDecoder().decode(ScannerResults.self, from: data) {
                status.state = results.status == .failed ? "Failed" : "Succeeded"
                status.findings = Int64(results.findings.count)
                status.message = results.error
                status.finishedAt = results.timings?.finishedAt ?? stamp()
                status.startedAt = results.timings?.startedAt ?? status.startedAt
            } else {
                status.state = "Failed"
                status.message = "\(prefix)results.json does not decode"
                status.finishedAt = stamp()
            }
            return status
        }
        if let data = try? await objects.get(prefix + "progress.json"),
            let progress = try? JSONValue.parse(data), let attempt = progress["attempt"]?.intValue
        {
            status.state = "Running"
            status.startedAt = status.startedAt ?? progress["startedAt"]?.stringValue ?? stamp()
            let step = progress["step"]?.intValue ?? 0
            let maxSteps = progress["maxSteps"]?.intValue.map { " of at most \($0)" } ?? ""
            status.message = "attempt \(attempt): step \(step)\(maxSteps)"
        }
        return status
    }
}
