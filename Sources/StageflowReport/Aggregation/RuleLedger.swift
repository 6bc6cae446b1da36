import StageflowAPI

/// One scanner's rules over the pages of a job: which pages each rule violated, needed review on, passed or
/// did not apply to. A page's outcome for a rule is the first that holds of violation, needs review, passed,
/// inapplicable (see ``RuleOutcome``).
///
/// A rule passes on a page when the page lists it in `passed`, or — for pages that give no `passed` list and
/// report no error — when the scanner declares or reports the rule and the page has no finding of it and does
/// not list it as inapplicable.
struct RuleLedger {
    struct Entry {
        var id: String
        var declared: RuleDescriptor?
        var title: String?
        var severity: Severity?
        var category: ReportCategory?
        var standards: [StandardReference]?
        var tags: Set<String> = []
        var helpUrl: String?
        var violation: Set<Int> = []
        var review: Set<Int> = []
        var passed: Set<Int> = []
        var inapplicable: Set<Int> = []
    }

    /// The scanner's category.
    let category: ReportCategory
    private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]
    /// Pages the scanner listed or reported on.
    private(set) var scannedPages: Set<Int> = []
    /// Pages without a `passed` list and without errors: declared and reported rules pass there by default.
    private var implicitPages: Set<Int> = []

    init(category: ReportCategory, declared: [RuleDescriptor]) {
        self.category = category
        for rule in declared {
            let entry = entryIndex(rule.id)
            if entries[entry].declared == nil { entries[entry].declared = rule }
        }
    }

    private mutating func entryIndex(_ id: String) -> Int {
        if let known = index[id] { return known }
        index[id] = entries.count
        entries.append(Entry(id: id))
        return entries.count - 1
    }

    /// A finding: its rule violated (or needing review) on `page`.
    mutating func record(_ finding: ScannerFinding, page: Int) {
        let entry = entryIndex(finding.scoredRule)
        scannedPages.insert(page)
        if finding.resolvedOutcome == .needsReview {
            entries[entry].review.insert(page)
        } else {
            entries[entry].violation.insert(page)
        }
        if entries[entry].title == nil { entries[entry].title = finding.check == nil ? finding.title : finding.scoredRule }
        if entries[entry].severity.map({ finding.severity > $0 }) ?? true { entries[entry].severity = finding.severity }
        if entries[entry].category == nil { entries[entry].category = finding.category }
        if entries[entry].standards == nil { entries[entry].standards = finding.standards }
        if entries[entry].helpUrl == nil { entries[entry].helpUrl = finding.helpUrl }
        // A rule's tags are the rule's, the same on every finding: the first finding that has any gives them.
        if entries[entry].tags.isEmpty, let tags = finding.wcagTags { entries[entry].tags.formUnion(tags) }
    }

    /// A page the scanner visited, with the rules it says passed or did not apply there.
    mutating func record(_ scanned: ScannedPage, page: Int) {
        scannedPages.insert(page)
        if let passed = scanned.passed {
            for rule in passed { entries[entryIndex(rule)].passed.insert(page) }
        } else if scanned.errors?.isEmpty ?? true {
            implicitPages.insert(page)
        }
        for rule in scanned.inapplicable ?? [] { entries[entryIndex(rule)].inapplicable.insert(page) }
    }

    /// Every rule with its pages per outcome, sorted by rule id; scores and points are filled in later.
    func results(scanner: String) -> [RuleResult] {
        entries.sorted { $0.id < $1.id }.map { entry in
            let declared = entry.declared
            let severity = declared?.severity ?? entry.severity ?? .moderate
            let category = declared?.category ?? entry.category ?? self.category
            let standards = declared?.standards ?? entry.standards ?? StandardReference.fromTags(entry.tags.sorted())
            var counts = RuleOutcomeCounts()
            counts.violation = entry.violation.count
            counts.needsReview = entry.review.subtracting(entry.violation).count
            var passed = entry.passed.union(implicitPages.subtracting(entry.inapplicable))
            passed.subtract(entry.violation)
            passed.subtract(entry.review)
            counts.passed = passed.count
            counts.inapplicable = max(0, scannedPages.count - counts.violation - counts.needsReview - counts.passed)
            return RuleResult(
                scanner: scanner, ruleId: entry.id, title: declared?.title ?? entry.title ?? entry.id, category: category,
                severity: severity, weight: RuleWeight.weight(severity: severity, category: category, standards: standards),
                standards: standards, helpUrl: declared?.helpUrl ?? entry.helpUrl, pages: counts)
        }
    }

    /// A rule's category and standards as its issues show them, unless a finding names its own.
    struct Description {
        var category: ReportCategory
        var standards: [StandardReference]
    }

    /// Every rule's description, by entry index (see ``index(of:)``).
    func descriptions() -> [Description] {
        entries.map { entry in
            Description(
                category: entry.declared?.category ?? entry.category ?? category,
                standards: entry.declared?.standards ?? entry.standards ?? StandardReference.fromTags(entry.tags.sorted()))
        }
    }

    /// The entry index of a rule the ledger has recorded.
    func index(of rule: String) -> Int { index[rule]! }
}
