import StageflowAPI
import StageflowReport

/// A manifest's raw-severity → severity table, applied to a scanner's findings: a finding whose `severityRaw`
/// is in the table gets the table's severity (an operator editing the manifest re-grades the scanner without
/// touching it); other findings keep the severity the scanner chose.
public struct SeverityMapping: Sendable, Hashable {
    /// Raw word → severity, keys as written in the manifest.
    public let table: [String: Severity]

    /// A mapping; `nil` maps nothing.
    public init(_ table: [String: Severity]?) {
        self.table = table ?? [:]
    }

    /// The severity of a raw word: an exact key first, then one that differs only in case.
    public func severity(forRaw raw: String) -> Severity? {
        if let exact = table[raw] { return exact }
        let lowered = raw.lowercased()
        return table.first { $0.key.lowercased() == lowered }?.value
    }

    /// The findings with mapped severities.
    public func apply(to findings: [ScannerFinding]) -> [ScannerFinding] {
        guard !table.isEmpty else { return findings }
        return findings.map { finding in
            guard let raw = finding.severityRaw, let mapped = severity(forRaw: raw) else { return finding }
            var copy = finding
            copy.severity = mapped
            return copy
        }
    }
}
