import StageflowAPI

/// Turns every scanner's `results.json` of a job into the unified report: findings grouped into issues by
/// fingerprint, equivalent issues of different scanners merged, pages with their evidence, score, scanner
/// status, errors and, given a baseline, the diff.
///
/// Pure and deterministic: the same results (in any order, with findings in any order) give the same
/// report. Runs in time linear in the number of findings.
///
/// - Grouping: findings with the same scanner, rule, page and normalised selector are one issue; each
///   distinct `selector`/`html` pair is an occurrence; the issue takes the most severe finding's text.
/// - Deduplication: issues whose rules share a canonical rule in the ``EquivalenceTable`` merge when they
///   are on the same page and (for element-scoped rules) have the same normalised selector and come from
///   different scanners. The issue of the highest-priority scanner is kept (ties: the smaller scanner id),
///   the others' scanners are listed in `alsoDetectedBy` and their fingerprints in `mergedIds`; WCAG tags
///   are merged, and a missing `howToFix` or `helpUrl` is taken from the merged ones.
/// - Status: `complete` when every scanner that was not skipped succeeded, `failed` when none completed
///   (success or partial), `partial` otherwise; failed and partial scanners appear in `errors` with their
///   error, and findings of every scanner that wrote any are kept.
/// - One `ScannerResults` per scanner is expected; a second one for the same scanner only adds its pages and
///   findings.
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

/// The working state of one aggregation.
private struct AggregationState {
    struct Draft {
        var id: String
        var value: UInt64
        var scanner: Int
        var page: Int
        var canonical: Int
        var finding: ScannerFinding
        var occurrences: [Occurrence]
        var nextInGroup: Int
        var absorbed = false
        var alsoDetectedBy: [Int] = []
        var mergedIds: [String] = []
        var mergedTags: [String] = []
    }

    struct PageDraft {
        var url: String
        var id: String
        var title: String?
        var titlePriority = Int.min
        var httpStatus: Int?
        var statusPriority = Int.min
        var screenshot: ScreenshotReference?
        var screenshotPriority = Int.min
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
    var draftByValue: [UInt64: Int] = [:]
    var groupHeads: [GroupKey: Int] = [:]
    var pages: [PageDraft] = []
    var pageByRawURL: [String: Int] = [:]
    var pageByNormalizedURL: [String: Int] = [:]
    var findingCounts: [Int]
    var errors: [ReportError] = []

    init(equivalences: EquivalenceTable, results: [ScannerResults]) {
        self.equivalences = equivalences
        var byId: [String: [ScannerResults]] = [:]
        for result in results { byId[result.scanner, default: []].append(result) }
        scannerIds = byId.keys.sorted()
        scannerResults = scannerIds.map { byId[$0]! }
        priorities = scannerIds.map { equivalences.priority(of: $0) }
        findingCounts = Array(repeating: 0, count: scannerIds.count)
        let findingTotal = results.reduce(0) { $0 + $1.findings.count }
        drafts.reserveCapacity(findingTotal)
        draftByValue.reserveCapacity(findingTotal)
    }

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
                    let canonical = ruleIndex[finding.ruleId] ?? -1
                    let selector =
                        canonical >= 0 && equivalences.rules[canonical].scope == .page
                        ? "" : normalizer.normalize(finding.selector)
                    let (id, value) = hasher.fingerprint(
                        scanner: scannerId, ruleId: finding.ruleId, pageId: pages[page].id, selector: selector
                    )
                    let occurrence = Occurrence(selector: finding.selector, html: finding.html, boundingBox: finding.boundingBox)
                    if let existing = draftByValue[value] {
                        drafts[existing].add(finding, occurrence: occurrence)
                        continue
                    }
                    var nextInGroup = -1
                    if canonical >= 0 {
                        let key = GroupKey(canonical: canonical, page: page, selector: selector)
                        nextInGroup = groupHeads.updateValue(drafts.count, forKey: key) ?? -1
                    }
                    draftByValue[value] = drafts.count
                    drafts.append(
                        Draft(
                            id: id, value: value, scanner: scanner, page: page, canonical: canonical, finding: finding,
                            occurrences: [occurrence], nextInGroup: nextInGroup
                        )
                    )
                }
            }
        }
    }

    private mutating func record(_ scanned: ScannedPage, scanner: Int, priority: Int) {
        let page = pageIndex(for: scanned.url)
        if !pages[page].scanners.contains(scanner) { pages[page].scanners.append(scanner) }
        if let title = scanned.title, priority > pages[page].titlePriority {
            pages[page].title = title
            pages[page].titlePriority = priority
        }
        if let status = scanned.httpStatus, priority > pages[page].statusPriority {
            pages[page].httpStatus = status
            pages[page].statusPriority = priority
        }
        if let screenshot = scanned.screenshot, priority > pages[page].screenshotPriority {
            pages[page].screenshot = screenshot
            pages[page].screenshotPriority = priority
        }
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

    /// Merges equivalent issues of different scanners into the highest-priority one.
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

    func report(meta: ReportMeta, artifacts: [Artifact]) -> Report {
        let pageOrder = pages.indices.sorted { pages[$0].url < pages[$1].url }
        var pageRank = Array(repeating: 0, count: pages.count)
        for (rank, page) in pageOrder.enumerated() { pageRank[page] = rank }

        // Sort on plain integers: most severe first, then page order, then fingerprint value.
        var order: [(severity: Int, page: Int, value: UInt64, index: Int)] = []
        order.reserveCapacity(drafts.count)
        for index in drafts.indices where !drafts[index].absorbed {
            order.append((4 - drafts[index].finding.severity.rank, pageRank[drafts[index].page], drafts[index].value, index))
        }
        order.sort { ($0.severity, $0.page, $0.value) < ($1.severity, $1.page, $1.value) }

        var issues: [Issue] = []
        issues.reserveCapacity(order.count)
        var total = SeverityCounts()
        var pageCounts = Array(repeating: SeverityCounts(), count: pages.count)
        var pageBoxes = Array(repeating: [IssueBox](), count: pages.count)
        var scannerIssues = Array(repeating: 0, count: scannerIds.count)
        for entry in order {
            let issue = makeIssue(at: entry.index)
            let draft = (page: drafts[entry.index].page, scanner: drafts[entry.index].scanner)
            total[issue.severity] += 1
            pageCounts[draft.page][issue.severity] += 1
            scannerIssues[draft.scanner] += 1
            for occurrence in issue.occurrences {
                if let box = occurrence.boundingBox {
                    pageBoxes[draft.page].append(IssueBox(issueId: issue.id, severity: issue.severity, boundingBox: box))
                }
            }
            issues.append(issue)
        }

        let pageReports = pageOrder.map { page in
            let draft = pages[page]
            return PageReport(
                id: draft.id, url: draft.url, title: draft.title, httpStatus: draft.httpStatus, screenshot: draft.screenshot,
                scanners: draft.scanners.map { scannerIds[$0] }.sorted(), issueCount: pageCounts[page].total,
                bySeverity: pageCounts[page], issueBoxes: pageBoxes[page]
            )
        }

        var scannerReports: [ScannerReport] = []
        var scannerErrors: [ReportError] = []
        var pagesPerScanner = Array(repeating: 0, count: scannerIds.count)
        for page in pages { for scanner in page.scanners { pagesPerScanner[scanner] += 1 } }
        for scanner in scannerIds.indices {
            let first = scannerResults[scanner][0]
            scannerReports.append(
                ScannerReport(
                    id: scannerIds[scanner], status: first.status, toolVersion: first.toolVersion, timings: first.timings,
                    error: first.error, priority: priorities[scanner], findings: findingCounts[scanner],
                    issues: scannerIssues[scanner], pagesScanned: pagesPerScanner[scanner]
                )
            )
            if first.status == .failed || first.status == .partial {
                let message = first.error ?? (first.status == .failed ? "failed without an error message" : "partial results without an error message")
                scannerErrors.append(ReportError(kind: .scanner, scanner: scannerIds[scanner], message: message))
            }
        }
        let pageErrors = errors.sorted { lhs, rhs in
            (lhs.scanner ?? "", lhs.url ?? "", lhs.message) < (rhs.scanner ?? "", rhs.url ?? "", rhs.message)
        }

        let score = ReportScore(counts: total)
        let summary = ReportSummary(
            score: score.score, grade: score.grade, totalIssues: issues.count, bySeverity: total,
            byScanner: Dictionary(uniqueKeysWithValues: scannerIds.indices.map { (scannerIds[$0], scannerIssues[$0]) }),
            pagesScanned: pages.count, pagesWithIssues: pageCounts.filter { $0.total > 0 }.count
        )
        return Report(
            status: status(of: scannerReports), meta: meta, summary: summary, scanners: scannerReports, pages: pageReports,
            issues: issues, artifacts: artifacts.sorted { $0.key < $1.key }, errors: scannerErrors + pageErrors
        )
    }

    /// The issue of one draft; reads the draft in place (copying a whole draft per issue is measurable).
    private func makeIssue(at index: Int) -> Issue {
        drafts.withUnsafeBufferPointer { buffer in
            let draft = UnsafePointer(buffer.baseAddress! + index)
            var tags = draft.pointee.finding.wcagTags ?? []
            if !draft.pointee.mergedTags.isEmpty || zip(tags, tags.dropFirst()).contains(where: { $0 >= $1 }) {
                tags = Array(Set(tags + draft.pointee.mergedTags)).sorted()
            }
            var occurrences = draft.pointee.occurrences
            if occurrences.count > 1 {
                occurrences.sort { ($0.selector ?? "", $0.html ?? "") < ($1.selector ?? "", $1.html ?? "") }
            }
            let page = draft.pointee.page
            let canonical = draft.pointee.canonical
            return Issue(
                id: draft.pointee.id, pageId: pages[page].id, url: pages[page].url, scanner: scannerIds[draft.pointee.scanner],
                ruleId: draft.pointee.finding.ruleId,
                canonicalRule: canonical >= 0 ? equivalences.rules[canonical].canonical : nil,
                title: draft.pointee.finding.title, message: draft.pointee.finding.message,
                severity: draft.pointee.finding.severity, severityRaw: draft.pointee.finding.severityRaw, wcagTags: tags,
                occurrences: occurrences, howToFix: draft.pointee.finding.howToFix, helpUrl: draft.pointee.finding.helpUrl,
                alsoDetectedBy: draft.pointee.alsoDetectedBy.map { scannerIds[$0] }.sorted(),
                mergedIds: draft.pointee.mergedIds.sorted()
            )
        }
    }

    private func status(of scanners: [ScannerReport]) -> ReportStatus {
        let ran = scanners.filter { $0.status != .skipped }
        if !ran.contains(where: { $0.status.completed }) { return .failed }
        return ran.allSatisfy { $0.status == .success } ? .complete : .partial
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
