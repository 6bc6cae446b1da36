import Foundation

/// Scanners a long-lived controller runs itself (`entry.controller`; the vision agent's `ai-navigator` is run by
/// `vision`): such a controller holds a Lease while it runs, and whether it holds it decides whether a job's scanner
/// runs or is skipped. The ScanJob controller (when scanning starts) and admission (to warn at apply time) read that
/// Lease the same way, through this.
public enum ScannerController {
    /// Namespace of the controllers' Leases.
    public static let leaseNamespace = "stageflow-system"

    /// The Lease the controller `name` holds while it runs: `stageflow-<name>`.
    public static func leaseName(_ name: String) -> String { "stageflow-\(name)" }

    /// Whether `lease` (a Lease object, or `nil` when there is none) shows a running controller: it has a holder and
    /// was renewed within three of its lease durations (a restarted controller takes it over within one).
    public static func isRunning(lease: JSONValue?, now: Date) -> Bool {
        guard let lease, lease[path: ["spec", "holderIdentity"]]?.stringValue?.isEmpty == false,
            let renewed = lease[path: ["spec", "renewTime"]]?.stringValue.flatMap(Timestamp.date)
        else { return false }
        let duration = Double(lease[path: ["spec", "leaseDurationSeconds"]]?.intValue ?? 15)
        return now.timeIntervalSince(renewed) <= 3 * duration
    }

    /// Why a scanner of the controller `name` is skipped, and what to configure.
    public static func skipMessage(_ name: String) -> String {
        let hint =
            name == "vision"
            ? ": start stageflow up or stageflow vision with --vision-model MODEL (and --vision-api-key-file FILE or "
                + "OPENROUTER_API_KEY for OpenRouter, or --vision-base-url URL for another OpenAI-compatible server)"
            : ""
        return "no \(name) controller is running\(hint)"
    }
}
