import StageflowAPI
import StageflowRuntime

/// A scanner its infrastructure failed — its container killed from outside, or the object store unreachable past
/// the scanner's own retries — is started again, up to `ScanJobReconcilerConfiguration.scannerRestartLimit` times,
/// counted in its status (`docs/architecture.md`, "Faults"). A scanner that failed on its own (a crash, its time or
/// memory limit) is not: it would fail the same way again.
extension ScanJobReconciler {
    /// Whether a container's end is its infrastructure's doing rather than the scanner's.
    static func isInfrastructureFailure(code: Int32, reason: String?) -> Bool {
        if reason == "Killed" { return true }
        return reason == nil && code == ScannerExitCode.infrastructureUnavailable
    }

    /// Starts the scanner's container again when it has restarts left, and returns its status as restarted; `nil`
    /// when the failure stands (no restarts left, or a runtime that cannot restart one container).
    ///
    /// `status.restarts` is already the larger of the status's count and the runtime's (what the container
    /// carries): a pass that read a stale job still sees how often the container really ran again, so a crash or a
    /// conflict between restarting and writing the status never restarts a scanner past the limit.
    func restart(
        _ status: ScanJobScannerStatus, container: String, pod: PodSpec, cause: String, context: JobContext
    ) async throws -> ScanJobScannerStatus? {
        let done = status.restarts ?? 0
        let limit = Int64(configuration.scannerRestartLimit)
        guard runtime.restartsContainers, done < limit else { return nil }
        try await runtime.restartContainer(pod, container: container, restarts: Int(done + 1))
        var restarted = status
        restarted.restarts = done + 1
        restarted.state = "Running"
        restarted.exitCode = nil
        restarted.finishedAt = nil
        restarted.message = "started again (\(done + 1) of \(limit)) after it \(cause)"
        events?.warning(
            context.object, kind: .scanJob, reason: "ScannerRestarted",
            message: "scanner \(status.name) \(cause); started again (\(done + 1) of \(limit))")
        return restarted
    }

    /// The larger of the status's count and the runtime's; `nil` when neither counted any.
    static func restarts(_ recorded: Int64?, observed: Int?) -> Int64? {
        let count = max(recorded ?? 0, Int64(observed ?? 0))
        return count > 0 ? count : nil
    }

    /// `" (after 2 restarts)"` for a scanner that failed after being started again, `""` otherwise.
    static func restartsSuffix(_ restarts: Int64?) -> String {
        guard let restarts, restarts > 0 else { return "" }
        return " (after \(restarts) restart\(restarts == 1 ? "" : "s"))"
    }
}
