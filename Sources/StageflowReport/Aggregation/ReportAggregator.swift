import StageflowAPI

/// Turns every scanner's `results.json` of a job into the unified report: findings fingerprinted per
/// element, equivalent elements of different scanners merged, elements grouped into issues (one per rule
/// per page), items that need review set apart, every rule's outcome per page, the category scores, pages
/// with their evidence, scanner status, errors and, given a baseline, the diff.
///
/// Pure and deterministic: the same results (in any order, with findings in any order) give the same
/// report. Runs in time linear in the number of findings and rule outcomes.
///
/// - Elements: findings with the same scanner, rule, outcome, page and normalised selector are one element;
///   each distinct `selector`/`html` pair is an occurrence of it; its fingerprint is the occurrence's `id`.
/// - Deduplication: violating elements whose rules share a canonical rule in the ``EquivalenceTable`` merge
///   when they are on the same page and (for element-scoped rules) have the same normalised selector and
///   come from different scanners. The element of the highest-priority scanner is kept (ties: the smaller
///   scanner id), the others' scanners are listed in `alsoDetectedBy` and their fingerprints in `mergedIds`;
///   WCAG tags are merged, and a missing `howToFix` or `helpUrl` is taken from the merged ones.
/// - Issues: the remaining elements of one scanner rule on one page are one issue, most severe element's
///   text first; needs-review elements make the items of `needsReview` the same way.
/// - Score: every rule's outcome per page (violation, needs review, passed, inapplicable; see
///   ``RuleOutcome``) feeds ``CategoryScorer``, before deduplication, so each category judges its own rules.
/// - Status: `complete` when every scanner that was not skipped succeeded, `failed` when none completed
///   (success or partial), `partial` otherwise; failed and partial scanners appear in `errors` with their
///   error, and findings of every scanner that wrote any are kept.
/// - One `ScannerResults` per scanner is expected; a second one for the same scanner only adds its pages,
///   findings and rules.
public struct ReportAggregator: Sendable {
    /// The equivalences and priorities used for deduplication.
    public var equivalences: EquivalenceTable

    /// An aggregator; the built-in equivalence table unless told otherwise.
    public init(equivalences: EquivalenceTable = .builtIn) {
        self.equivalences = equivalences
    }

    /// The report of one job.
    public func aggregate(
        meta: ReportMeta, results: [ScannerResults], artifacts: [Artifact] = [], baseline: Report? = nil
    ) -> Report {
        var state = AggregationState(equivalences: equivalences, results: results)
        state.collect()
        state.deduplicate()
        var report = state.report(meta: meta, artifacts: artifacts)
        report.journeys = JourneyRecord.collect(from: results)
        if let baseline { report.diff = BaselineDiff.compare(report, with: baseline) }
        return report
    }
}
