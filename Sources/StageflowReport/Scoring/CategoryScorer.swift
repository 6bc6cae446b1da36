import StageflowAPI

/// Scores the categories of a report and the report as a whole, in the manner of Lighthouse (the formula is
/// in `docs/scoring.md`):
///
/// - A rule scores the share of the pages it was checked on (violated or passed) where it passed, so one
///   failing element costs as much as many on the same page, and duplicating every page changes nothing.
///   Pages where it only needs review, or did not apply, do not count.
/// - A category scores the weighted mean of its rules' scores, each rule weighted by its impact
///   (``RuleWeight``); rules checked nowhere, and rules of weight 0, are left out. Each rule costs
///   `100 · weight · (1 − share) / total weight` points.
/// - Performance, when pages carry lab metrics, scores the mean of the pages' Lighthouse performance scores
///   (``LighthouseScoring/pageScore(_:)``); each metric costs its share of the lost points.
/// - A category whose scanners all failed (or timed out) has no score, and one where nothing they check was
///   on the pages has none either; a category scored while one of its scanners failed or was partial is
///   `partial`.
/// - The overall score is the mean of the category scores weighted by ``ReportCategory/weight``, over the
///   categories that have one; it is partial when a category of the job failed or is partial, and absent
///   when no category has a score.
struct CategoryScorer {
    /// What the scorer reads about one scanner.
    struct Scanner {
        var id: String
        var status: ScannerRunStatus
        var error: String?
        var category: ReportCategory
    }

    /// The scores.
    struct Outcome {
        var categories: [CategoryScore] = []
        var score: Double?
        var partial = false
        var note: String?
        var topRules: [RuleCost] = []
        /// Per page (in the order given), its performance score 0…100.
        var pageScores: [Double?] = []
    }

    let scanners: [Scanner]
    /// Per page: its metrics and the scanner that measured them.
    let pageMetrics: [(metrics: PageMetrics, scanner: String)?]

    /// Scores the categories, filling in each rule's score and points.
    func score(_ rules: inout [RuleResult]) -> Outcome {
        var outcome = Outcome()
        outcome.pageScores = pageMetrics.map { entry in entry.flatMap { LighthouseScoring.pageScore($0.metrics) }.map { $0 * 100 } }
        for index in rules.indices where rules[index].pages.checked > 0 {
            rules[index].score = ReportScore.rounded(100 * Double(rules[index].pages.passed) / Double(rules[index].pages.checked))
        }

        // A scanner belongs to the categories of its rules (and Performance when it measured pages); one with
        // neither, such as a scanner that failed, to its own category.
        var members: [ReportCategory: Set<String>] = [:]
        let running = Set(scanners.filter { $0.status != .skipped }.map(\.id))
        for rule in rules where running.contains(rule.scanner) { members[rule.category, default: []].insert(rule.scanner) }
        for entry in pageMetrics.compactMap({ $0 }) where running.contains(entry.scanner) {
            members[.performance, default: []].insert(entry.scanner)
        }
        let placed = Set(members.values.flatMap { $0 })
        for scanner in scanners where scanner.status != .skipped && !placed.contains(scanner.id) {
            members[scanner.category, default: []].insert(scanner.id)
        }

        let byId = Dictionary(scanners.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for category in members.keys.sorted() {
            let ids = members[category]!.sorted()
            outcome.categories.append(score(category, scanners: ids.compactMap { byId[$0] }, rules: &rules, pageScores: outcome.pageScores))
        }

        let scored = outcome.categories.filter { $0.status.hasScore }
        let totalWeight = scored.reduce(0) { $0 + $1.weight }
        if totalWeight > 0 {
            outcome.score = ReportScore.rounded(scored.reduce(0) { $0 + $1.weight * ($1.score ?? 0) } / totalWeight)
            outcome.topRules = Array(
                scored.flatMap { category in
                    category.topRules.map { cost -> RuleCost in
                        var overall = cost
                        overall.points = ReportScore.points(cost.points * category.weight / totalWeight)
                        return overall
                    }
                }
                .sorted(by: Self.costlier).prefix(5))
        }
        outcome.partial = outcome.categories.contains { $0.status == .failed || $0.status == .partial }
        outcome.note = note(outcome.categories, hasScore: outcome.score != nil)
        return outcome
    }

    private func score(
        _ category: ReportCategory, scanners: [Scanner], rules: inout [RuleResult], pageScores: [Double?]
    ) -> CategoryScore {
        let ids = scanners.map(\.id)
        let completed = Set(scanners.filter { $0.status.completed }.map(\.id))
        let troubled = scanners.filter { $0.status == .failed || $0.status == .partial }
        let trouble = troubled.map { "\($0.id) \($0.status == .failed ? "failed" : "was partial")" + ($0.error.map { ": \($0)" } ?? "") }
            .joined(separator: "; ")
        guard !completed.isEmpty else {
            return CategoryScore(id: category, status: .failed, reason: trouble.isEmpty ? "no scanner completed" : trouble, scanners: ids)
        }

        var result: CategoryScore
        let metricPages = pageMetrics.indices.filter { pageMetrics[$0].map { completed.contains($0.scanner) } ?? false && pageScores[$0] != nil }
        if category == .performance, !metricPages.isEmpty {
            result = performance(pages: metricPages, pageScores: pageScores, scanners: ids)
        } else {
            result = ruleScore(category, rules: &rules, completed: completed, scanners: ids)
        }
        if !result.status.hasScore {
            if !trouble.isEmpty {
                result.status = .failed
                result.reason = trouble + "; " + (result.reason ?? "")
            }
            return result
        }
        if !trouble.isEmpty {
            result.status = .partial
            result.reason = trouble
        }
        return result
    }

    private func ruleScore(
        _ category: ReportCategory, rules: inout [RuleResult], completed: Set<String>, scanners: [String]
    ) -> CategoryScore {
        let counted = rules.indices.filter {
            rules[$0].category == category && completed.contains(rules[$0].scanner) && rules[$0].pages.checked > 0
                && rules[$0].weight > 0
        }
        let totalWeight = counted.reduce(0) { $0 + rules[$1].weight }
        guard totalWeight > 0 else {
            return CategoryScore(
                id: category, status: .noEvidence, reason: "nothing the scanners check in this category was found on the scanned pages",
                scanners: scanners)
        }
        var sum = 0.0
        var costs: [RuleCost] = []
        var pages = 0
        for index in counted {
            let rule = rules[index]
            let share = Double(rule.pages.passed) / Double(rule.pages.checked)
            sum += rule.weight * share
            let points = 100 * rule.weight * (1 - share) / totalWeight
            rules[index].points = ReportScore.points(points)
            pages = max(pages, rule.pages.checked + rule.pages.needsReview)
            if points > 0 {
                costs.append(
                    RuleCost(
                        scanner: rule.scanner, ruleId: rule.ruleId, title: rule.title, category: category,
                        points: ReportScore.points(points), pagesFailing: rule.pages.violation, pagesChecked: rule.pages.checked))
            }
        }
        let score = ReportScore.rounded(100 * sum / totalWeight)
        return CategoryScore(
            id: category, status: .scored, score: score, grade: ReportScore.grade(for: score), scanners: scanners,
            rulesScored: counted.count, pagesScored: pages, topRules: Array(costs.sorted(by: Self.costlier).prefix(5)))
    }

    private func performance(pages: [Int], pageScores: [Double?], scanners: [String]) -> CategoryScore {
        let mean = pages.reduce(0) { $0 + (pageScores[$1] ?? 0) } / Double(pages.count)
        var costs: [RuleCost] = []
        var measured = 0
        for metric in LighthouseScoring.Metric.allCases where (LighthouseScoring.weights[metric] ?? 0) > 0 {
            var lost = 0.0
            var checked = 0
            var failing = 0
            var scanner = scanners.first ?? "performance"
            for page in pages {
                guard let entry = pageMetrics[page], let value = entry.metrics.value(of: metric) else { continue }
                let present = LighthouseScoring.Metric.allCases.filter { entry.metrics.value(of: $0) != nil }
                let pageWeight = present.reduce(0) { $0 + (LighthouseScoring.weights[$1] ?? 0) }
                let score = LighthouseScoring.metricScore(LighthouseScoring.curve(metric, formFactor: entry.metrics.formFactor), value: value)
                lost += LighthouseScoring.weights[metric]! * (1 - score) / pageWeight
                checked += 1
                if score < 0.9 { failing += 1 }
                scanner = entry.scanner
            }
            guard checked > 0 else { continue }
            measured += 1
            let points = 100 * lost / Double(pages.count)
            if points > 0 {
                costs.append(
                    RuleCost(
                        scanner: scanner, ruleId: metric.auditId, title: metric.title, category: .performance,
                        points: ReportScore.points(points), pagesFailing: failing, pagesChecked: checked))
            }
        }
        let score = ReportScore.rounded(mean)
        return CategoryScore(
            id: .performance, status: .scored, score: score, grade: ReportScore.grade(for: score), scanners: scanners,
            rulesScored: measured, pagesScored: pages.count, topRules: Array(costs.sorted(by: Self.costlier).prefix(5)))
    }

    private func note(_ categories: [CategoryScore], hasScore: Bool) -> String? {
        let missing = categories.filter { !$0.status.hasScore }
        let partial = categories.filter { $0.status == .partial }
        if categories.isEmpty { return "No score: no scanner ran." }
        if !hasScore {
            return "No score: " + missing.map { "\($0.title): \($0.reason ?? $0.status.rawValue)" }.joined(separator: "; ") + "."
        }
        var parts: [String] = []
        for category in missing where category.status == .failed {
            parts.append("\(category.title) has no score (\(category.reason ?? "its scanners failed"))")
        }
        for category in partial {
            parts.append("\(category.title) is scored from incomplete results (\(category.reason ?? "a scanner did not complete"))")
        }
        guard !parts.isEmpty else { return nil }
        let over = categories.filter { $0.status.hasScore }.map(\.title).joined(separator: ", ")
        return "Partial score over \(over): " + parts.joined(separator: "; ") + "."
    }

    /// More points first, then by scanner and rule.
    static func costlier(_ lhs: RuleCost, _ rhs: RuleCost) -> Bool {
        if lhs.points != rhs.points { return lhs.points > rhs.points }
        return (lhs.scanner, lhs.ruleId) < (rhs.scanner, rhs.ruleId)
    }
}

extension LighthouseScoring.Metric {
    /// Lighthouse's audit id of the metric.
    var auditId: String {
        switch self {
        case .fcp: return "first-contentful-paint"
        case .speedIndex: return "speed-index"
        case .lcp: return "largest-contentful-paint"
        case .tbt: return "total-blocking-time"
        case .cls: return "cumulative-layout-shift"
        case .ttfb: return "server-response-time"
        case .transferBytes: return "total-byte-weight"
        }
    }

    /// The metric's name.
    var title: String {
        switch self {
        case .fcp: return "First Contentful Paint"
        case .speedIndex: return "Speed Index"
        case .lcp: return "Largest Contentful Paint"
        case .tbt: return "Total Blocking Time"
        case .cls: return "Cumulative Layout Shift"
        case .ttfb: return "Time to First Byte"
        case .transferBytes: return "Total transfer size"
        }
    }
}
