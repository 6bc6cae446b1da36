import StageflowReport

/// A scanner compiled into `stageflow`: given the context of one run, it scans every page of the plan and
/// returns its results. It reports per-page failures as page errors and returns; it throws only for what makes
/// the whole run meaningless (a configuration that does not fit, say — `ScannerRunError` with `.badInput`).
///
/// The runner fills in what every scanner shares: the scanner id, the timings, the mapping of raw severities
/// through the manifest, and writing `results.json` after the evidence.
public protocol BuiltinScanner: Sendable {
    /// The name a manifest's `entry.builtin` (or, without one, its `id`) selects it by.
    var id: String { get }
    /// Name and version shown in the report.
    var toolVersion: String { get }
    /// Scans the plan's pages.
    func scan(_ context: ScanContext) async throws -> ScannerResults
}
