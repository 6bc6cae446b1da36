import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

/// The per-category score of docs/scoring.md: rule weights, shares of pages, categories, the overall score.
@Suite struct ReportScoreTests {
    static let home = "https://example.com/"
    static let about = "https://example.com/about"

    /// An axe-like result: every page lists the rules it checked; findings per rule and page.
    static func results(
        _ scanner: String = "axe", rules: [RuleDescriptor], pages: [String: [String: Int]], passed: [String: [String]]? = nil,
        reviews: [String: [String]] = [:]
    ) -> ScannerResults {
        var findings: [ScannerFinding] = []
        for (url, failing) in pages {
            for (rule, elements) in failing {
                for element in 0..<elements {
                    findings.append(
                        ScannerFinding(
                            ruleId: rule, title: rule, message: "\(rule) fails", severity: rules.first { $0.id == rule }?.severity ?? .moderate,
                            url: url, selector: "#e\(element)"))
                }
            }
        }
        for (url, rulesToReview) in reviews {
            for rule in rulesToReview {
                findings.append(
                    ScannerFinding(ruleId: rule, title: rule, message: "cannot tell", severity: .serious, url: url, selector: "#r", outcome: .needsReview))
            }
        }
        let urls = Set(pages.keys).union(reviews.keys).sorted()
        let scanned = urls.map { url in
            ScannedPage(url: url, passed: passed.map { $0[url] ?? [] } ?? rules.map(\.id))
        }
        return ScannerResults(scanner: scanner, pages: scanned, findings: findings, rules: rules)
    }

    static func rule(_ id: String, _ severity: Severity, _ criterion: String? = "1.1.1", category: ReportCategory = .accessibility) -> RuleDescriptor {
        RuleDescriptor(
            id: id, title: "Rule \(id)", severity: severity, category: category,
            standards: criterion.map { [StandardReference.wcag($0)!] } ?? [.bestPractice])
    }

    static func aggregate(_ results: [ScannerResults]) -> Report {
        ReportAggregator().aggregate(meta: SiteFixture.meta(), results: results)
    }

    @Test func rulesWeighByImpactAndScoreTheShareOfPagesThatPass() throws {
        let rules = [Self.rule("a", .critical), Self.rule("b", .serious, "1.4.3"), Self.rule("c", .minor, nil)]
        // a fails on one of two pages, b passes on both, c (minor best practice: weight 0) fails on both.
        let report = Self.aggregate([Self.results(rules: rules, pages: [Self.home: ["a": 3, "c": 1], Self.about: ["c": 2]])])
        let accessibility = try #require(report.summary.categories.first)
        // 100 · (10 · 1/2 + 7 · 1) / (10 + 7) = 70.588…
        #expect(accessibility.score == 70.6)
        #expect(accessibility.grade == "C")
        #expect(accessibility.rulesScored == 2)
        #expect(accessibility.topRules.map(\.ruleId) == ["a"])
        #expect(accessibility.topRules.first?.points == 29.41)
        #expect(accessibility.topRules.first?.pagesFailing == 1 && accessibility.topRules.first?.pagesChecked == 2)
        let c = try #require(report.rules.first { $0.ruleId == "c" })
        #expect(c.weight == 0 && c.points == 0 && c.score == 0)
        #expect(report.rules.first { $0.ruleId == "a" }?.pages == RuleOutcomeCounts(violation: 1, passed: 1))
        #expect(report.summary.score == 70.6)
        // Issues are problems: a on /, c on / and on /about; their elements beneath.
        #expect(report.summary.totalIssues == 3)
        #expect(report.summary.occurrences == 6)
    }

    @Test func oneFailingElementCostsAsMuchAsSeventyNine() throws {
        let rules = [Self.rule("landmark", .moderate, "1.3.1"), Self.rule("lang", .serious, "3.1.1")]
        let one = Self.aggregate([Self.results(rules: rules, pages: [Self.home: ["landmark": 1], Self.about: [:]])])
        let many = Self.aggregate([Self.results(rules: rules, pages: [Self.home: ["landmark": 79], Self.about: [:]])])
        #expect(one.summary.score == many.summary.score)
        #expect(one.summary.totalIssues == 1 && many.summary.totalIssues == 1)
        #expect(many.issues.first?.occurrences.count == 79)
        // A missing lang on every page costs more than a landmark rule failing on 79 elements of one page.
        let lang = Self.aggregate([Self.results(rules: rules, pages: [Self.home: ["lang": 1], Self.about: ["lang": 1]])])
        let langScore = try #require(lang.summary.score)
        let manyScore = try #require(many.summary.score)
        #expect(langScore < manyScore)
    }

    @Test func needsReviewOnlyPageHasNoViolationsAndPassesTheDefaultGate() throws {
        let rules = [Self.rule("color-contrast", .serious, "1.4.3"), Self.rule("image-alt", .critical)]
        let report = Self.aggregate([
            Self.results(
                rules: rules, pages: [:], passed: [Self.home: ["image-alt"]], reviews: [Self.home: ["color-contrast"]])
        ])
        #expect(report.issues.isEmpty)
        #expect(report.needsReview.count == 1)
        #expect(report.needsReview.first?.outcome == .needsReview)
        #expect(report.summary.needsReview == 1 && report.summary.totalIssues == 0)
        #expect(report.summary.score(of: .accessibility) == 100)
        #expect(report.rules.first { $0.ruleId == "color-contrast" }?.pages == RuleOutcomeCounts(needsReview: 1))
        #expect(Gate.evaluate(report, failOn: .serious, failOnNew: nil).passed)
        let strict = Gate.evaluate(report, failOn: .serious, failOnNew: nil, failOnReview: true)
        #expect(!strict.passed)
        #expect(strict.reasons == ["1 item (1 serious) needing review at or above serious (--fail-on-review, WCAG 2.2 AA)"])
    }

    @Test func aFailedScannerLeavesItsCategoryWithoutAScoreAndTheOverallScorePartial() throws {
        let report = Self.aggregate([
            Self.results(rules: [Self.rule("a", .critical)], pages: [Self.home: [:]]),
            .failed(scanner: "link-checker", error: "ran past its time limit and was killed (exit code 137)"),
        ])
        let links = try #require(report.summary.categories.first { $0.id == .links })
        #expect(links.status == .failed && links.score == nil)
        #expect(links.reason == "link-checker failed: ran past its time limit and was killed (exit code 137)")
        #expect(report.summary.partial)
        #expect(report.summary.score == 100)
        let note = try #require(report.summary.scoreNote)
        #expect(note.contains("Links has no score") && note.contains("link-checker failed"))
    }

    @Test func nothingCompletedMeansNoScoreAnywhere() {
        let report = Self.aggregate([.failed(scanner: "axe", error: "no browser"), .failed(scanner: "seo", error: "boom")])
        #expect(report.summary.score == nil && report.summary.grade == nil && !report.hasScore)
        #expect(report.summary.categories.map(\.status) == [.failed, .failed])
        #expect(report.summary.categories.allSatisfy { $0.score == nil && $0.topRules.isEmpty })
        #expect(report.status == .failed)
    }

    @Test func aCategoryWithNothingToCheckHasNoScore() throws {
        let report = Self.aggregate([Self.results(rules: [Self.rule("a", .critical)], pages: [Self.home: [:]], passed: [:])])
        let accessibility = try #require(report.summary.categories.first)
        #expect(accessibility.status == .noEvidence && accessibility.score == nil)
        #expect(report.summary.score == nil && !report.summary.partial)
    }

    @Test func pluginRulesPassImplicitlyOnPagesWithoutFindings() throws {
        var plugin = ScannerResults(
            scanner: "title-length", pages: [ScannedPage(url: Self.home), ScannedPage(url: Self.about), ScannedPage(url: "https://example.com/x", errors: ["timeout"])],
            findings: [ScannerFinding(ruleId: "title-too-short", title: "Title too short", message: "short", severity: .moderate, url: Self.home)])
        plugin.category = .seo
        let report = Self.aggregate([plugin])
        let rule = try #require(report.rules.first)
        // Failed on /, passed on /about, not checked on the page that timed out.
        #expect(rule.pages == RuleOutcomeCounts(violation: 1, passed: 1, inapplicable: 1))
        #expect(report.summary.score(of: .seo) == 50)
    }

    @Test func securityCountsObservatoryTestsNotTheirResults() throws {
        let rules = [RuleDescriptor(id: "content-security-policy", title: "CSP", severity: .serious, category: .security)]
        let findings = [
            ScannerFinding(ruleId: "csp-not-implemented", title: "CSP not implemented", message: "", severity: .serious, url: Self.home, check: "content-security-policy"),
            ScannerFinding(ruleId: "csp-implemented-with-unsafe-inline", title: "unsafe-inline", message: "", severity: .serious, url: Self.about, check: "content-security-policy"),
        ]
        let pages = ["https://example.com/", "https://example.com/about", "https://example.com/c"].map {
            ScannedPage(url: $0, passed: ["content-security-policy"])
        }
        let report = Self.aggregate([ScannerResults(scanner: "security-headers", pages: pages, findings: findings, rules: rules)])
        #expect(report.rules.map(\.ruleId) == ["content-security-policy"])
        #expect(report.rules.first?.pages == RuleOutcomeCounts(violation: 2, passed: 1))
        #expect(report.summary.score(of: .security) == 33.3)
        #expect(Set(report.issues.map(\.ruleId)) == ["csp-not-implemented", "csp-implemented-with-unsafe-inline"])
    }

    @Test(arguments: [(100.0, "A"), (90.0, "A"), (89.9, "B"), (80.0, "B"), (79.9, "C"), (70.0, "C"), (69.9, "D"), (60.0, "D"), (59.9, "F"), (0.0, "F")])
    func gradeBands(_ score: Double, _ grade: String) {
        #expect(ReportScore.grade(for: score) == grade)
    }

    @Test func ruleWeightsFollowLighthouse() {
        #expect([Severity.critical, .serious, .moderate, .minor, .info].map(RuleWeight.weight(of:)) == [10, 7, 3, 1, 0])
        let a = [StandardReference.wcag("1.1.1")!]
        #expect(RuleWeight.weight(severity: .minor, category: .accessibility, standards: a) == 1)
        #expect(RuleWeight.weight(severity: .minor, category: .accessibility, standards: [.bestPractice]) == 0)
        #expect(RuleWeight.weight(severity: .minor, category: .accessibility, standards: [.wcag("2.4.9")!]) == 0)
        #expect(RuleWeight.weight(severity: .moderate, category: .accessibility, standards: [.bestPractice]) == 3)
        #expect(RuleWeight.weight(severity: .minor, category: .seo, standards: []) == 1)
    }
}
