import StageflowAPI

/// The working state of one aggregation: pages by normalised URL, one draft per element (scanner, rule,
/// outcome, page, normalised selector), the groups deduplication looks at, and each scanner's rule outcomes.
struct AggregationState {
    /// One element of one scanner rule, with the findings that named it.
    struct Draft {
        var id: String
        var value: UInt64
        var scanner: Int
        var page: Int
        var canonical: Int
        var review: Bool
        var finding: ScannerFinding
        var occurrences: [Occurrence]
        var nextInGroup: Int
        var absorbed = false
        var alsoDetectedBy: [Int] = []
        var mergedIds: [String] = []
        var mergedTags: [String] = []
    }

    /// A page fact several scanners may report: the highest-priority scanner's value is kept.
    struct Ranked<Value> {
        var value: Value?
        var priority = Int.min
        var scanner = 0

        mutating func offer(_ candidate: Value?, priority: Int, scanner: Int) {
            guard let candidate, priority > self.priority else { return }
            value = candidate
            self.priority = priority
            self.scanner = scanner
        }
    }

    struct PageDraft {
        var url: String
        var id: String
        var title = Ranked<String>()
        var httpStatus = Ranked<Int>()
        var screenshot = Ranked<ScreenshotReference>()
        var metrics = Ranked<PageMetrics>()
        var scanners: [Int] = []
    }

    struct GroupKey: Hashable {
        var canonical: Int
        var page: Int
        var selector: String
    }

    let equivalences: EquivalenceTable
    /// Per scanner id, sorted by id: the results given for it.
    let scannerIds: [String]
    let scannerResults: [[ScannerResults]]
    let priorities: [Int]

    var drafts: [Draft] = []
    var draftByKey: [UInt64: Int] = [:]
    var groupHeads: [GroupKey: Int] = [:]
    var pages: [PageDraft] = []
    var pageByRawURL: [String: Int] = [:]
    var pageByNormalizedURL: [String: Int] = [:]
    var findingCounts: [Int]
    var errors: [ReportError] = []
    /// Per scanner: its rules' outcomes per page.
    var ledgers: [RuleLedger]

    init(equivalences: EquivalenceTable, results: [ScannerResults]) {
        self.equivalences = equivalences
        var byId: [String: [ScannerResults]] = [:]
        for result in results { byId[result.scanner, default: []].append(result) }
        let ids = byId.keys.sorted()
        scannerIds = ids
        scannerResults = ids.map { byId[$0]! }
        priorities = ids.map { equivalences.priority(of: $0) }
        findingCounts = Array(repeating: 0, count: ids.count)
        ledgers = ids.map { id in
            let all = byId[id]!
            let category = all.lazy.compactMap(\.category).first ?? ReportCategory.defaultCategory(ofScanner: id)
            return RuleLedger(category: category, declared: all.flatMap { $0.rules ?? [] })
        }
        let findingTotal = results.reduce(0) { $0 + $1.findings.count }
        drafts.reserveCapacity(findingTotal)
        draftByKey.reserveCapacity(findingTotal)
    }

    /// Reads every page and finding: pages by normalised URL, findings into element drafts, outcomes into the
    /// scanners' ledgers.
    mutating func collect() {
        var hasher = FingerprintHasher()
        var normalizer = SelectorNormalizer()
        for scanner in scannerIds.indices {
            let scannerId = scannerIds[scanner]
            let priority = priorities[scanner]
            let ruleIndex = equivalences.ruleIndex(for: scannerId)
            for results in scannerResults[scanner] {
                for scanned in results.pages { record(scanned, scanner: scanner, priority: priority) }
                findingCounts[scanner] += results.findings.count
                for finding in results.findings {
                    let page = pageIndex(for: finding.url)
                    if pages[page].scanners.last != scanner, !pages[page].scanners.contains(scanner) {
                        pages[page].scanners.append(scanner)
                    }
                    let review = finding.resolvedOutcome == .needsReview
                    ledgers[scanner].record(finding, page: page)
                    let canonical = review ? -1 : ruleIndex[finding.ruleId] ?? -1
                    let selector =
                        canonical >= 0 && equivalences.rules[canonical].scope == .page
                        ? "" : normalizer.normalize(finding.selector)
                    let (id, value) = hasher.fingerprint(
                        scanner: scannerId, ruleId: finding.ruleId, pageId: pages[page].id, selector: selector
                    )
                    let key = review ? value | 1 << 63 : value
                    let occurrence = Occurrence(id: id, selector: finding.selector, html: finding.html, boundingBox: finding.boundingBox)
                    if let existing = draftByKey[key] {
                        drafts[existing].add(finding, occurrence: occurrence)
                        continue
                    }
                    var nextInGroup = -1
                    if canonical >= 0 {
                        let group = GroupKey(canonical: canonical, page: page, selector: selector)
                        nextInGroup = groupHeads.updateValue(drafts.count, forKey: group) ?? -1
                    }
                    draftByKey[key] = drafts.count
                    drafts.append(
                        Draft(
                            id: id, value: value, scanner: scanner, page: page, canonical: canonical, review: review,
                            finding: finding, occurrences: [occurrence], nextInGroup: nextInGroup
                        )
                    )
                }
            }
        }
    }

    private mutating func record(_ scanned: ScannedPage, scanner: Int, priority: Int) {
        let page = pageIndex(for: scanned.url)
        if !pages[page].scanners.contains(scanner) { pages[page].scanners.append(scanner) }
        ledgers[scanner].record(scanned, page: page)
        pages[page].title.offer(scanned.title, priority: priority, scanner: scanner)
        pages[page].httpStatus.offer(scanned.httpStatus, priority: priority, scanner: scanner)
        pages[page].screenshot.offer(scanned.screenshot, priority: priority, scanner: scanner)
        pages[page].metrics.offer(scanned.metrics, priority: priority, scanner: scanner)
        for message in scanned.errors ?? [] {
            errors.append(
                ReportError(kind: .page, scanner: scannerIds[scanner], pageId: pages[page].id, url: pages[page].url, message: message)
            )
        }
    }

    private mutating func pageIndex(for rawURL: String) -> Int {
        if let page = pageByRawURL[rawURL] { return page }
        let url = PageIdentifier.normalize(rawURL)
        let page: Int
        if let known = pageByNormalizedURL[url] {
            page = known
        } else {
            page = pages.count
            pages.append(PageDraft(url: url, id: Fingerprint.hex12(of: url)))
            pageByNormalizedURL[url] = page
        }
        pageByRawURL[rawURL] = page
        return page
    }

    /// Merges equivalent violating elements of different scanners into the highest-priority one.
    mutating func deduplicate() {
        var members: [Int] = []
        for head in groupHeads.values {
            guard drafts[head].nextInGroup >= 0 else { continue }
            members.removeAll(keepingCapacity: true)
            var cursor = head
            while cursor >= 0 {
                members.append(cursor)
                cursor = drafts[cursor].nextInGroup
            }
            let keeper = members.min { ranksBefore($0, $1) }!
            let keeperScanner = drafts[keeper].scanner
            let absorbed = members.filter { drafts[$0].scanner != keeperScanner }.sorted { ranksBefore($0, $1) }
            guard !absorbed.isEmpty else { continue }
            for other in absorbed {
                drafts[other].absorbed = true
                let otherScanner = drafts[other].scanner
                if !drafts[keeper].alsoDetectedBy.contains(otherScanner) { drafts[keeper].alsoDetectedBy.append(otherScanner) }
                drafts[keeper].mergedIds.append(drafts[other].id)
                drafts[keeper].mergedTags.append(contentsOf: drafts[other].finding.wcagTags ?? [])
                if drafts[keeper].finding.howToFix == nil { drafts[keeper].finding.howToFix = drafts[other].finding.howToFix }
                if drafts[keeper].finding.helpUrl == nil { drafts[keeper].finding.helpUrl = drafts[other].finding.helpUrl }
            }
        }
    }

    /// Higher priority first, then smaller scanner id, rule id and fingerprint.
    private func ranksBefore(_ lhs: Int, _ rhs: Int) -> Bool {
        let leftScanner = drafts[lhs].scanner
        let rightScanner = drafts[rhs].scanner
        if priorities[leftScanner] != priorities[rightScanner] { return priorities[leftScanner] > priorities[rightScanner] }
        if leftScanner != rightScanner { return leftScanner < rightScanner }
        if drafts[lhs].finding.ruleId != drafts[rhs].finding.ruleId { return drafts[lhs].finding.ruleId < drafts[rhs].finding.ruleId }
        return drafts[lhs].value < drafts[rhs].value
    }
}

extension AggregationState.Draft {
    /// Adds another finding with the same fingerprint: one more occurrence unless it repeats one, and the
    /// most severe finding's text (ties: the smaller message) so the result does not depend on input order.
    mutating func add(_ other: ScannerFinding, occurrence: Occurrence) {
        if !occurrences.contains(where: { $0.selector == occurrence.selector && $0.html == occurrence.html }) {
            occurrences.append(occurrence)
        }
        if other.severity > finding.severity || (other.severity == finding.severity && other.message < finding.message) {
            let tags = Set((finding.wcagTags ?? []) + (other.wcagTags ?? []))
            finding = other
            finding.wcagTags = tags.sorted()
        } else if let extra = other.wcagTags, !extra.allSatisfy({ finding.wcagTags?.contains($0) ?? false }) {
            finding.wcagTags = Set((finding.wcagTags ?? []) + extra).sorted()
        }
    }
}
