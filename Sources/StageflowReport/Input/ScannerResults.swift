import StageflowAPI

/// What one scanner wrote as `artifacts/<job-uid>/<scanner>/results.json`: the contract between scanner pods
/// and the report.
///
/// ```json
/// {
///   "scanner": "axe",                      // the scanner id, ^[a-z][a-z0-9-]*$
///   "toolVersion": "axe-core 4.12.0",      // optional
///   "status": "success",                   // success | partial | failed | skipped
///   "error": null,                         // why the scanner failed, was partial or was skipped
///   "timings": {"startedAt": "2026-01-16T10:00:00Z", "finishedAt": "…", "durationMs": 5321},
///   "pages": [{
///     "url": "https://example.com/",
///     "title": "Example",
///     "httpStatus": 200,
///     "screenshot": {"key": "artifacts/<uid>/axe/screenshots/0.png", "width": 1280, "height": 3400},
///     "errors": []                         // what went wrong on this page (timeouts, navigation errors)
///   }],
///   "findings": [{
///     "ruleId": "image-alt", "title": "Images must have alternate text",
///     "message": "Element does not have an alt attribute", "severity": "critical",
///     "severityRaw": "critical", "url": "https://example.com/", "selector": "main > img.hero",
///     "html": "<img class=\"hero\" src=\"/hero.png\">",
///     "boundingBox": {"x": 10, "y": 120, "width": 640, "height": 320},
///     "wcagTags": ["wcag2a", "wcag111"], "howToFix": "Add an alt attribute…",
///     "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/image-alt"
///   }]
/// }
/// ```
///
/// Rules of the contract:
/// - `severity` is already normalised to `critical | serious | moderate | minor | info` (through the scanner
///   manifest's severity mapping); the scanner's own word goes in `severityRaw`.
/// - `url` is the page the finding is on, as navigated; the report derives a stable page id from it
///   (see ``PageIdentifier``), so `https://Example.com:443/a#top` and `https://example.com/a` are one page.
/// - `selector` names the element; page-level findings (a missing title, a missing header) omit it. Findings
///   with the same scanner, rule, page and normalised selector are one issue (see ``SelectorNormalizer``),
///   listed once with each distinct `selector`/`html` pair as an occurrence. A scanner that reports several
///   distinct problems of one rule on one page without an element (several broken links, say) must tell
///   them apart in `selector` (for example `a[href="/missing"]`) or they are reported as one issue.
/// - `boundingBox` is in CSS pixels relative to the top-left corner of the page's full-page screenshot,
///   whose size `pages[].screenshot.width`/`height` gives in the same unit.
/// - Scanners that take part in deduplication use the rule ids listed in `Data/equivalences.json`.
///
/// Outcomes and the score (all optional, so older scanners and plugins keep working):
/// - `findings[].outcome` is `violation` (the default) or `needsReview`: something the scanner could not
///   decide. Needs-review items are listed apart and never count in the score or the default gate.
/// - `pages[].passed` lists the rules checked on the page (those without a finding there passed) and
///   `pages[].inapplicable` the rules that had nothing to check there. Without `passed`, every rule the scanner declares in `rules`
///   (or reports anywhere) passes on each page it lists without errors and without a finding of that rule.
/// - `rules` declares the rules checked, with their impact, category and standards; the score weighs a rule
///   by its declared impact (see `docs/scoring.md`).
/// - `category` is the report category of the scanner's rules (`accessibility`, `performance`, `seo`,
///   `security`, `links`, `content`, `social`); built-in scanner ids have a default.
/// - `pages[].metrics` carries lab metrics (FCP, LCP, TBT, CLS, Speed Index) for the Performance score.
/// - `findings[].check` names the check a finding fails when the scanner scores checks with several failing
///   results (an HTTP Observatory test); `rules` and `pages[].passed` then list checks.
/// - `findings[].standards` names the references a finding checks; WCAG tags (`wcag111`, `wcag2aa`) are
///   turned into WCAG 2.2 success criteria when it is absent.
public struct ScannerResults: Codable, Sendable, Hashable {
    /// The scanner id (`axe`, `seo`, …).
    public var scanner: String
    /// Name and version of the underlying tool, shown in the report.
    public var toolVersion: String?
    /// How the scanner run ended.
    public var status: ScannerRunStatus
    /// Why the run failed, was partial or was skipped (for failed pods: the exit code and the last log bytes).
    public var error: String?
    /// When the scanner ran.
    public var timings: ScannerTimings?
    /// The pages the scanner visited, with their evidence.
    public var pages: [ScannedPage]
    /// What the scanner found, one entry per rule violation (or needs-review item) per element.
    public var findings: [ScannerFinding]
    /// The rules the scanner checked, with what the score needs to know about each.
    public var rules: [RuleDescriptor]?
    /// The report category of its rules, when not the default of its id.
    public var category: ReportCategory?
    /// The journey walked, for the vision agent (see ``JourneyRecord``).
    public var journey: JourneyRecord?

    /// Results of one scanner run.
    public init(
        scanner: String, toolVersion: String? = nil, status: ScannerRunStatus = .success, error: String? = nil,
        timings: ScannerTimings? = nil, pages: [ScannedPage] = [], findings: [ScannerFinding] = [],
        rules: [RuleDescriptor]? = nil, category: ReportCategory? = nil
    ) {
        self.scanner = scanner
        self.toolVersion = toolVersion
        self.status = status
        self.error = error
        self.timings = timings
        self.pages = pages
        self.findings = findings
        self.rules = rules
        self.category = category
    }

    /// The results of a scanner that produced nothing usable, for example a pod that exited non-zero
    /// without writing `results.json`.
    public static func failed(scanner: String, error: String, timings: ScannerTimings? = nil) -> ScannerResults {
        ScannerResults(scanner: scanner, status: .failed, error: error, timings: timings)
    }

    /// The results of a scanner that was deliberately not run (disabled, not applicable to the target).
    public static func skipped(scanner: String, reason: String) -> ScannerResults {
        ScannerResults(scanner: scanner, status: .skipped, error: reason)
    }

    /// Missing arrays decode as empty, so a failed scanner may write only `scanner`, `status` and `error`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scanner = try container.decode(String.self, forKey: .scanner)
        toolVersion = try container.decodeIfPresent(String.self, forKey: .toolVersion)
        status = try container.decode(ScannerRunStatus.self, forKey: .status)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        timings = try container.decodeIfPresent(ScannerTimings.self, forKey: .timings)
        pages = try container.decodeIfPresent([ScannedPage].self, forKey: .pages) ?? []
        findings = try container.decodeIfPresent([ScannerFinding].self, forKey: .findings) ?? []
        rules = try container.decodeIfPresent([RuleDescriptor].self, forKey: .rules)
        category = try container.decodeIfPresent(ReportCategory.self, forKey: .category)
        journey = try container.decodeIfPresent(JourneyRecord.self, forKey: .journey)
    }
}

/// How a scanner run ended.
public enum ScannerRunStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every page was scanned.
    case success
    /// Some pages were scanned; `error` says what was missed. Its findings are kept.
    case partial
    /// Nothing usable; `error` says why.
    case failed
    /// Not run on purpose; `error` says why.
    case skipped

    /// `true` when the scanner's findings can be trusted to be complete for the pages it lists.
    public var completed: Bool { self == .success || self == .partial }
}

/// When a scanner (or anything else) ran: RFC 3339 timestamps and the elapsed milliseconds.
public struct ScannerTimings: Codable, Sendable, Hashable {
    /// Start, RFC 3339.
    public var startedAt: String?
    /// End, RFC 3339.
    public var finishedAt: String?
    /// Elapsed milliseconds.
    public var durationMs: Int64?

    /// Timings.
    public init(startedAt: String? = nil, finishedAt: String? = nil, durationMs: Int64? = nil) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationMs = durationMs
    }
}
