import ArgumentParser
import StageflowAPI
import StageflowReport

/// `--fail-on SEVERITY`, `--fail-on-new SEVERITY`, `--fail-on-review` and `--standard STANDARD`: the CI gate
/// of `report`, `scan` and `project` (see `Gate`). Issues count one per rule per page; accessibility issues
/// count when they fail the standard (WCAG 2.2 AA by default; best practice is reported, not gated); items
/// that need review count only with `--fail-on-review`.
public struct GateOptions: ParsableArguments, Sendable {
    /// Fail when any issue is at or above this severity.
    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp(
            "Exit 1 when any issue is at or above SEVERITY (critical, serious, moderate, minor, info).",
            valueName: "severity"))
    public var failOn: String?

    /// Fail when any issue new since the baseline is at or above this severity.
    @Option(
        name: .customLong("fail-on-new"),
        help: ArgumentHelp(
            "Exit 1 when any issue new since the baseline is at or above SEVERITY; without a baseline every issue counts as new.",
            valueName: "severity"))
    public var failOnNew: String?

    /// Gate on items that need review too.
    @Flag(
        name: .customLong("fail-on-review"),
        help: ArgumentHelp(
            "Count items that need review (what a scanner could not decide) in the gate: at or above --fail-on, or any when it is not given."))
    public var failOnReview = false

    /// The standard accessibility issues are gated on.
    @Option(
        name: .customLong("standard"),
        help: ArgumentHelp(
            "Gate accessibility issues on this standard: wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22a, wcag22aa (default), … wcag22aaa, or all (best practice too).",
            valueName: "standard"))
    public var standard: String?

    /// Parsed by ArgumentParser.
    public init() {}

    /// Whether any threshold is set.
    public var isSet: Bool { failOn != nil || failOnNew != nil || failOnReview }

    /// The `--standard` filter, WCAG 2.2 AA when not given.
    public func standardFilter() throws -> StandardFilter {
        guard let standard else { return .wcag22aa }
        guard let filter = StandardFilter(name: standard) else {
            throw CLIError(
                "--standard: unknown standard \"\(standard)\" (expected one of \(StandardFilter.names.joined(separator: ", ")))", exitCode: 2)
        }
        return filter
    }

    /// The `--fail-on` threshold.
    public func failOnSeverity() throws -> Severity? {
        try failOn.map { try Self.severity($0, flag: "--fail-on") }
    }

    /// The `--fail-on-new` threshold.
    public func failOnNewSeverity() throws -> Severity? {
        try failOnNew.map { try Self.severity($0, flag: "--fail-on-new") }
    }

    /// Checks both thresholds.
    public func validate() throws {
        _ = try CLIError.usage { try failOnSeverity() }
        _ = try CLIError.usage { try failOnNewSeverity() }
        _ = try CLIError.usage { try standardFilter() }
    }

    /// The gate's outcome on a report.
    public func evaluate(_ report: Report) throws -> GateResult {
        Gate.evaluate(
            report, failOn: try failOnSeverity(), failOnNew: try failOnNewSeverity(), failOnReview: failOnReview,
            standard: try standardFilter())
    }

    /// Evaluates the gate on a report; throws `GateFailure` when a threshold is crossed.
    public func check(_ report: Report) throws {
        let result = try evaluate(report)
        if !result.passed { throw GateFailure(reasons: result.reasons) }
    }

    /// Throws `ScanIncomplete` when the report has no score because no scanner completed.
    public static func requireScore(_ report: Report, name: String) throws {
        guard !report.hasScore, report.status == .failed else { return }
        throw ScanIncomplete("scanjobs/\(name) has no score: \(report.summary.scoreNote ?? "no scanner completed")")
    }

    /// Parses a severity word, case-insensitively.
    public static func severity(_ text: String, flag: String) throws -> Severity {
        guard let severity = Severity(rawValue: text.lowercased()) else {
            let known = Severity.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIError("\(flag): unknown severity \"\(text)\" (expected one of \(known))", exitCode: 2)
        }
        return severity
    }
}
