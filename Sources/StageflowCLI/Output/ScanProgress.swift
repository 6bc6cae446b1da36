import StageflowAPI

/// How far a ScanJob has come, read from its status: phase, scanners finished of those selected, pages.
public struct ScanProgress: Sendable, Hashable {
    /// `Pending`, `ReadyToScan`, `Scanning`, `Completing`, `Done`, `Failed`.
    public var phase: String
    /// Scanners in a terminal state (Succeeded, Failed, Skipped).
    public var scannersFinished: Int
    /// Scanners selected.
    public var scannersTotal: Int
    /// Scanners running now, by name.
    public var running: [String]
    /// Scanners that failed, by name.
    public var failed: [String]
    /// Pages scanned so far, when known.
    public var pagesScanned: Int?
    /// Pages planned, when known.
    public var pagesTotal: Int?

    /// A progress value.
    public init(
        phase: String, scannersFinished: Int = 0, scannersTotal: Int = 0, running: [String] = [], failed: [String] = [],
        pagesScanned: Int? = nil, pagesTotal: Int? = nil
    ) {
        self.phase = phase
        self.scannersFinished = scannersFinished
        self.scannersTotal = scannersTotal
        self.running = running
        self.failed = failed
        self.pagesScanned = pagesScanned
        self.pagesTotal = pagesTotal
    }

    /// The progress of a ScanJob object as the API returns it.
    public init(job: JSONValue) {
        let status = job["status"]
        let selected = job[path: ["spec", "scanners"]]?.arrayValue?.count ?? 0
        let scanners = status?["scanners"]?.arrayValue ?? []
        let states = scanners.map { ($0["name"]?.stringValue ?? "?", $0["state"]?.stringValue ?? "Pending") }
        self.init(
            phase: status?["phase"]?.stringValue ?? "Pending",
            scannersFinished: states.filter { ["Succeeded", "Failed", "Skipped"].contains($0.1) }.count,
            scannersTotal: max(selected, scanners.count),
            running: states.filter { $0.1 == "Running" }.map(\.0),
            failed: states.filter { $0.1 == "Failed" }.map(\.0),
            pagesScanned: status?[path: ["pages", "scanned"]]?.intValue.map { Int($0) },
            pagesTotal: status?[path: ["pages", "total"]]?.intValue.map { Int($0) })
    }

    /// Whether the job has finished (Done or Failed).
    public var isFinished: Bool { phase == "Done" || phase == "Failed" }

    /// 0…1: the phases before scanning take the first tenth, the scanners the next eight, completing the last.
    public var fraction: Double {
        switch phase {
        case "Done", "Failed": return 1
        case "Completing": return 0.95
        case "Scanning":
            guard scannersTotal > 0 else { return 0.1 }
            return 0.1 + 0.8 * Double(min(scannersFinished, scannersTotal)) / Double(scannersTotal)
        case "ReadyToScan": return 0.08
        case "Extracting": return 0.05
        default: return 0
        }
    }

    /// `Scanning · scanners 1/2 · running link-checker · 2 pages`, the words after the bar.
    public var detail: String {
        var parts = [phase]
        if scannersTotal > 0 { parts.append("scanners \(scannersFinished)/\(scannersTotal)") }
        if !running.isEmpty { parts.append("running \(running.joined(separator: ", "))") }
        if !failed.isEmpty { parts.append("failed \(failed.joined(separator: ", "))") }
        if let pagesScanned {
            parts.append(pagesTotal.map { "pages \(pagesScanned)/\($0)" } ?? "\(pagesScanned) pages")
        }
        return parts.joined(separator: " · ")
    }
}

/// Draws `ScanProgress`: a bar redrawn in place on a terminal, one plain line per change otherwise.
public struct ProgressRenderer: Sendable {
    /// Characters inside the bar.
    public var width: Int

    /// A renderer.
    public init(width: Int = 24) {
        self.width = max(4, width)
    }

    /// `[=========>            ]  45% Scanning · scanners 1/2`.
    public func bar(_ progress: ScanProgress) -> String {
        let fraction = min(1, max(0, progress.fraction))
        let filled = Int((fraction * Double(width)).rounded(.down))
        var inside = String(repeating: "=", count: filled)
        if filled < width {
            inside += ">" + String(repeating: " ", count: width - filled - 1)
        }
        let percent = String(Int((fraction * 100).rounded(.down)))
        return "[\(inside)] \(String(repeating: " ", count: max(0, 3 - percent.count)))\(percent)% \(progress.detail)"
    }

    /// The same without the bar, for logs: `scanjobs/nightly: Scanning · scanners 1/2`.
    public func line(_ progress: ScanProgress, name: String) -> String {
        "scanjobs/\(name): \(progress.detail)"
    }
}
