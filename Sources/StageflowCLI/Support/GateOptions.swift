import ArgumentParser
import StageflowAPI
import StageflowReport

/// `--fail-on SEVERITY` and `--fail-on-new SEVERITY`: the CI gate of `report`, `scan` and `project`.
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

    /// Parsed by ArgumentParser.
    public init() {}

    /// Whether any threshold is set.
    public var isSet: Bool { failOn != nil || failOnNew != nil }

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
    }

    /// Evaluates the gate on a report; throws `GateFailure` when a threshold is crossed.
    public func check(_ report: Report) throws {
        let result = Gate.evaluate(report, failOn: try failOnSeverity(), failOnNew: try failOnNewSeverity())
        if !result.passed { throw GateFailure(reasons: result.reasons) }
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
