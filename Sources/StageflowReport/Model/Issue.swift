import StageflowAPI

/// One problem a person fixes: one rule of one scanner failing (or needing review) on one page, with every
/// element where it does beneath it as occurrences.
///
/// Its `id` is the fingerprint of the rule on the page (see ``Fingerprint``), stable across runs. Each
/// occurrence keeps its own per-element fingerprint, which is what baseline diffs and waivers match on, so a
/// new failing element of a known problem is still new.
public struct Issue: Codable, Sendable, Hashable {
    /// Fingerprint of the problem: the first 12 hex digits of SHA-256 over `scanner|ruleId|pageId|` (an empty
    /// selector).
    public var id: String
    /// The page's stable id.
    public var pageId: String
    /// The page URL, normalised.
    public var url: String
    /// The scanner kept for this issue (the highest-priority one that reported it).
    public var scanner: String
    /// That scanner's rule id.
    public var ruleId: String
    /// The cross-scanner rule this one belongs to, when the equivalence table lists it.
    public var canonicalRule: String?
    /// The report category the rule counts in.
    public var category: ReportCategory
    /// A violation, or an item that needs review.
    public var outcome: FindingOutcome
    /// Short name of the rule.
    public var title: String
    /// What is wrong (the most severe occurrence's message).
    public var message: String
    /// Normalised severity: the most severe occurrence's.
    public var severity: Severity
    /// The scanner's own severity word.
    public var severityRaw: String?
    /// The references the rule checks (WCAG success criteria with their level, best practice, HTML, Open
    /// Graph, an Observatory test, an RFC).
    public var standards: [StandardReference]
    /// WCAG and category tags, merged over the equivalent findings, sorted.
    public var wcagTags: [String]
    /// Where it is: one entry per element (and per distinct selector and HTML reported for it).
    public var occurrences: [Occurrence]
    /// How to fix it.
    public var howToFix: String?
    /// Documentation of the rule.
    public var helpUrl: String?
    /// Other scanners that reported the same problem on the same elements, sorted.
    public var alsoDetectedBy: [String]
    /// Fingerprints of the equivalent findings of other scanners merged into its occurrences, sorted.
    public var mergedIds: [String]

    /// An issue.
    public init(
        id: String, pageId: String, url: String, scanner: String, ruleId: String, canonicalRule: String? = nil,
        category: ReportCategory = .other, outcome: FindingOutcome = .violation, title: String, message: String,
        severity: Severity, severityRaw: String? = nil, standards: [StandardReference] = [], wcagTags: [String] = [],
        occurrences: [Occurrence] = [], howToFix: String? = nil, helpUrl: String? = nil, alsoDetectedBy: [String] = [],
        mergedIds: [String] = []
    ) {
        self.id = id
        self.pageId = pageId
        self.url = url
        self.scanner = scanner
        self.ruleId = ruleId
        self.canonicalRule = canonicalRule
        self.category = category
        self.outcome = outcome
        self.title = title
        self.message = message
        self.severity = severity
        self.severityRaw = severityRaw
        self.standards = standards
        self.wcagTags = wcagTags
        self.occurrences = occurrences
        self.howToFix = howToFix
        self.helpUrl = helpUrl
        self.alsoDetectedBy = alsoDetectedBy
        self.mergedIds = mergedIds
    }

    /// Reads contract 3 issues, and contract 2 ones (one issue per element, no category, outcome or
    /// standards) as baselines: each old issue becomes one whose occurrences carry its fingerprint.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        pageId = try container.decode(String.self, forKey: .pageId)
        url = try container.decode(String.self, forKey: .url)
        scanner = try container.decode(String.self, forKey: .scanner)
        ruleId = try container.decode(String.self, forKey: .ruleId)
        canonicalRule = try container.decodeIfPresent(String.self, forKey: .canonicalRule)
        category = try container.decodeIfPresent(ReportCategory.self, forKey: .category) ?? ReportCategory.defaultCategory(ofScanner: scanner)
        title = try container.decode(String.self, forKey: .title)
        message = try container.decode(String.self, forKey: .message)
        severity = try container.decode(Severity.self, forKey: .severity)
        severityRaw = try container.decodeIfPresent(String.self, forKey: .severityRaw)
        outcome = try container.decodeIfPresent(FindingOutcome.self, forKey: .outcome)
            ?? (severityRaw?.hasPrefix("review-") == true ? .needsReview : .violation)
        wcagTags = try container.decodeIfPresent([String].self, forKey: .wcagTags) ?? []
        standards = try container.decodeIfPresent([StandardReference].self, forKey: .standards) ?? StandardReference.fromTags(wcagTags)
        occurrences = try container.decodeIfPresent([Occurrence].self, forKey: .occurrences) ?? []
        for index in occurrences.indices where occurrences[index].id.isEmpty { occurrences[index].id = id }
        howToFix = try container.decodeIfPresent(String.self, forKey: .howToFix)
        helpUrl = try container.decodeIfPresent(String.self, forKey: .helpUrl)
        alsoDetectedBy = try container.decodeIfPresent([String].self, forKey: .alsoDetectedBy) ?? []
        mergedIds = try container.decodeIfPresent([String].self, forKey: .mergedIds) ?? []
        if !mergedIds.isEmpty, occurrences.allSatisfy({ $0.mergedIds.isEmpty && $0.id == id }) {
            for index in occurrences.indices { occurrences[index].mergedIds = mergedIds }
        }
    }

    /// The selector of the first occurrence, or `nil` for page-level issues.
    public var primarySelector: String? { occurrences.first?.selector }

    /// The distinct element fingerprints of its occurrences, in order.
    public var elementIds: [String] {
        var seen: Set<String> = []
        return occurrences.map(\.id).filter { seen.insert($0).inserted }
    }
}

/// One place an issue was seen: an element (or the page), with its own fingerprint.
public struct Occurrence: Codable, Sendable, Hashable {
    /// Fingerprint of the element: the first 12 hex digits of SHA-256 over
    /// `scanner|ruleId|pageId|normalisedSelector` (see ``Fingerprint``); the issue's id for page-level issues.
    public var id: String
    /// CSS selector as the scanner reported it.
    public var selector: String?
    /// Outer HTML of the element.
    public var html: String?
    /// Where it is on the page's screenshot.
    public var boundingBox: BoundingBox?
    /// Fingerprints of other scanners' findings of the same element merged into this one, sorted; baseline
    /// diffs match on them too, so an element does not look new merely because a higher-priority scanner
    /// started reporting it.
    public var mergedIds: [String]

    /// An occurrence.
    public init(
        id: String = "", selector: String? = nil, html: String? = nil, boundingBox: BoundingBox? = nil, mergedIds: [String] = []
    ) {
        self.id = id
        self.selector = selector
        self.html = html
        self.boundingBox = boundingBox
        self.mergedIds = mergedIds
    }

    private enum CodingKeys: String, CodingKey {
        case id, selector, html, boundingBox, mergedIds
    }

    /// Reads contract 3 occurrences, and contract 2 ones (no id: the issue's fingerprint is filled in).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        selector = try container.decodeIfPresent(String.self, forKey: .selector)
        html = try container.decodeIfPresent(String.self, forKey: .html)
        boundingBox = try container.decodeIfPresent(BoundingBox.self, forKey: .boundingBox)
        mergedIds = try container.decodeIfPresent([String].self, forKey: .mergedIds) ?? []
    }

    /// Writes `mergedIds` only when there are any.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(selector, forKey: .selector)
        try container.encodeIfPresent(html, forKey: .html)
        try container.encodeIfPresent(boundingBox, forKey: .boundingBox)
        if !mergedIds.isEmpty { try container.encode(mergedIds, forKey: .mergedIds) }
    }
}
