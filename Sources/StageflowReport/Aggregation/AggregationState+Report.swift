import StageflowAPI

extension AggregationState {
    /// One issue being built: the elements of one scanner rule on one page with one outcome.
    private struct Problem {
        var drafts: [Int]
        var representative: Int
    }

    private struct ProblemKey: Hashable {
        var scanner: Int
        var ruleId: String
        var page: Int
        var review: Bool
    }

    /// Assembles the report from the collected and deduplicated drafts.
    func report(meta: ReportMeta, artifacts: [Artifact]) -> Report {
        let pageOrder = pages.indices.sorted { pages[$0].url < pages[$1].url }
        var pageRank = Array(repeating: 0, count: pages.count)
        for (rank, page) in pageOrder.enumerated() { pageRank[page] = rank }

        // Elements into problems: one per scanner, rule, page and outcome.
        var problems: [Problem] = []
        var problemIndex: [ProblemKey: Int] = [:]
        for index in drafts.indices where !drafts[index].absorbed {
            let draft = drafts[index]
            let key = ProblemKey(scanner: draft.scanner, ruleId: draft.finding.ruleId, page: draft.page, review: draft.review)
            if let known = problemIndex[key] {
                problems[known].drafts.append(index)
                if Self.moreTelling(draft.finding, than: drafts[problems[known].representative].finding) {
                    problems[known].representative = index
                }
            } else {
                problemIndex[key] = problems.count
                problems.append(Problem(drafts: [index], representative: index))
            }
        }

        // Sort on plain integers (most severe first, then page order, then fingerprint value), then build the
        // issues in that order: moving whole issues through a sort is measurable.
        var hasher = FingerprintHasher()
        let described = ledgers.map { $0.descriptions() }
        var order: [(severity: Int, page: Int, value: UInt64, problem: Int, id: String)] = []
        order.reserveCapacity(problems.count)
        for (index, problem) in problems.enumerated() {
            let draft = drafts[problem.representative]
            let (id, value) = hasher.fingerprint(
                scanner: scannerIds[draft.scanner], ruleId: draft.finding.ruleId, pageId: pages[draft.page].id, selector: "")
            order.append((4 - draft.finding.severity.rank, pageRank[draft.page], value, index, id))
        }
        order.sort { ($0.severity, $0.page, $0.value) < ($1.severity, $1.page, $1.value) }
        var issues: [Issue] = []
        var reviews: [Issue] = []
        issues.reserveCapacity(order.count)
        for entry in order {
            let problem = problems[entry.problem]
            let issue = makeIssue(problem, id: entry.id, described: described[drafts[problem.representative].scanner])
            if issue.outcome == .violation { issues.append(issue) } else { reviews.append(issue) }
        }

        var total = SeverityCounts()
        var occurrences = 0
        var pageCounts = Array(repeating: SeverityCounts(), count: pages.count)
        var pageOccurrences = Array(repeating: 0, count: pages.count)
        var pageReviews = Array(repeating: 0, count: pages.count)
        var pageBoxes = Array(repeating: [IssueBox](), count: pages.count)
        let scannerIndex = Dictionary(uniqueKeysWithValues: scannerIds.enumerated().map { ($1, $0) })
        let pageIndex = Dictionary(uniqueKeysWithValues: pages.indices.map { (pages[$0].id, $0) })
        var scannerIssues = Array(repeating: 0, count: scannerIds.count)
        var scannerReviews = Array(repeating: 0, count: scannerIds.count)
        var byCategory: [String: Int] = [:]
        for issue in issues {
            let page = pageIndex[issue.pageId]!
            total[issue.severity] += 1
            occurrences += issue.occurrences.count
            pageCounts[page][issue.severity] += 1
            pageOccurrences[page] += issue.occurrences.count
            scannerIssues[scannerIndex[issue.scanner]!] += 1
            byCategory[issue.category.rawValue, default: 0] += 1
            for occurrence in issue.occurrences {
                if let box = occurrence.boundingBox {
                    pageBoxes[page].append(IssueBox(issueId: issue.id, severity: issue.severity, boundingBox: box))
                }
            }
        }
        for review in reviews {
            pageReviews[pageIndex[review.pageId]!] += 1
            scannerReviews[scannerIndex[review.scanner]!] += 1
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
                    issues: scannerIssues[scanner], needsReview: scannerReviews[scanner], pagesScanned: pagesPerScanner[scanner],
                    category: ledgers[scanner].category
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

        // Rules and scores.
        var rules = scannerIds.indices.flatMap { ledgers[$0].results(scanner: scannerIds[$0]) }
        for scanner in scannerIds.indices where !scannerReports[scanner].status.completed {
            rules.removeAll { $0.scanner == scannerIds[scanner] && $0.pages.checked == 0 && $0.pages.needsReview == 0 }
        }
        let scorer = CategoryScorer(
            scanners: scannerReports.map { .init(id: $0.id, status: $0.status, error: $0.error, category: $0.category) },
            pageMetrics: pages.map { page in page.metrics.value.map { ($0, scannerIds[page.metrics.scanner]) } })
        let scores = scorer.score(&rules)

        let pageReports = pageOrder.map { page in
            let draft = pages[page]
            return PageReport(
                id: draft.id, url: draft.url, title: draft.title.value, httpStatus: draft.httpStatus.value,
                screenshot: draft.screenshot.value,
                scanners: draft.scanners.map { scannerIds[$0] }.sorted(), issueCount: pageCounts[page].total,
                occurrenceCount: pageOccurrences[page], needsReviewCount: pageReviews[page], bySeverity: pageCounts[page],
                performanceScore: scores.pageScores[page].map(ReportScore.rounded), issueBoxes: pageBoxes[page]
            )
        }
        let summary = ReportSummary(
            score: scores.score, grade: scores.score.map(ReportScore.grade(for:)), partial: scores.partial, scoreNote: scores.note,
            categories: scores.categories, topRules: scores.topRules, totalIssues: issues.count, occurrences: occurrences,
            needsReview: reviews.count, bySeverity: total,
            byScanner: Dictionary(uniqueKeysWithValues: scannerIds.indices.map { (scannerIds[$0], scannerIssues[$0]) }),
            byCategory: byCategory, pagesScanned: pages.count, pagesWithIssues: pageCounts.filter { $0.total > 0 }.count
        )
        return Report(
            status: status(of: scannerReports), meta: meta, summary: summary, scanners: scannerReports, pages: pageReports,
            issues: issues, needsReview: reviews, rules: rules, artifacts: artifacts.sorted { $0.key < $1.key },
            errors: scannerErrors + pageErrors
        )
    }

    /// Whether `finding` should speak for its issue rather than `current`: more severe, then the smaller
    /// message, so the result does not depend on input order.
    private static func moreTelling(_ finding: ScannerFinding, than current: ScannerFinding) -> Bool {
        if finding.severity != current.severity { return finding.severity > current.severity }
        return finding.message < current.message
    }

    /// The issue of one problem, its elements' occurrences sorted by selector and HTML.
    private func makeIssue(_ problem: Problem, id: String, described: [RuleLedger.Description]) -> Issue {
        let representative = drafts[problem.representative]
        let scanner = representative.scanner
        var finding = representative.finding
        var tags: [String] = []
        var also: [Int] = []
        var merged: [String] = []
        var occurrences: [Occurrence] = []
        occurrences.reserveCapacity(problem.drafts.count)
        for index in problem.drafts {
            let draft = drafts[index]
            tags += draft.finding.wcagTags ?? []
            tags += draft.mergedTags
            also += draft.alsoDetectedBy
            merged += draft.mergedIds
            if finding.howToFix == nil { finding.howToFix = draft.finding.howToFix }
            if finding.helpUrl == nil { finding.helpUrl = draft.finding.helpUrl }
            let mergedIds = draft.mergedIds.count > 1 ? draft.mergedIds.sorted() : draft.mergedIds
            for occurrence in draft.occurrences {
                var occurrence = occurrence
                occurrence.mergedIds = mergedIds
                occurrences.append(occurrence)
            }
        }
        if occurrences.count > 1 {
            occurrences.sort { ($0.selector ?? "", $0.html ?? "", $0.id) < ($1.selector ?? "", $1.html ?? "", $1.id) }
        }
        let rule = described[ledgers[scanner].index(of: finding.scoredRule)]
        let canonical = representative.canonical
        return Issue(
            id: id, pageId: pages[representative.page].id, url: pages[representative.page].url, scanner: scannerIds[scanner],
            ruleId: finding.ruleId, canonicalRule: canonical >= 0 ? equivalences.rules[canonical].canonical : nil,
            category: finding.category ?? rule.category, outcome: representative.review ? .needsReview : .violation,
            title: finding.title, message: finding.message, severity: finding.severity, severityRaw: finding.severityRaw,
            standards: finding.standards ?? rule.standards, wcagTags: Self.distinctSorted(tags), occurrences: occurrences,
            howToFix: finding.howToFix, helpUrl: finding.helpUrl, alsoDetectedBy: Self.distinctSorted(also.map { scannerIds[$0] }),
            mergedIds: Self.distinctSorted(merged)
        )
    }

    /// The values once each, sorted; cheap for the short lists issues carry.
    private static func distinctSorted(_ values: [String]) -> [String] {
        guard values.count > 1 else { return values }
        var sorted = values.sorted()
        var write = 1
        for read in 1..<sorted.count where sorted[read] != sorted[write - 1] {
            sorted[write] = sorted[read]
            write += 1
        }
        sorted.removeLast(sorted.count - write)
        return sorted
    }

    private func status(of scanners: [ScannerReport]) -> ReportStatus {
        let ran = scanners.filter { $0.status != .skipped }
        if !ran.contains(where: { $0.status.completed }) { return .failed }
        return ran.allSatisfy { $0.status == .success } ? .complete : .partial
    }
}
