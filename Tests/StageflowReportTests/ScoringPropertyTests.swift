import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

/// A small seedable generator, so a failing case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random sites scanned by random scanners: properties of the score that must hold for every finding set.
@Suite struct ScoringPropertyTests {
    /// Scanners with explicit page outcomes (like the built-in ones), one with implicit passes (like a plugin
    /// that lists no `passed`), Observatory-style checks, and lab metrics.
    static func randomSite(seed: UInt64) -> [ScannerResults] {
        var random = SplitMix64(state: seed)
        let pageCount = Int.random(in: 1...6, using: &random)
        let urls = (0..<pageCount).map { "https://example.com/p\($0)" }
        let severities: [Severity] = [.critical, .serious, .moderate, .minor, .info]
        let criteria = ["1.1.1", "1.4.3", "2.4.2", "4.1.2", "2.4.9", nil]
        var all: [ScannerResults] = []
        for (scanner, explicit) in [("axe", true), ("seo", true), ("title-length", false), ("security-headers", true)] {
            let ruleCount = Int.random(in: 1...5, using: &random)
            let rules = (0..<ruleCount).map { index -> RuleDescriptor in
                let criterion = criteria.randomElement(using: &random)!
                return RuleDescriptor(
                    id: "\(scanner)-r\(index)", title: "Rule \(index)", severity: severities.randomElement(using: &random)!,
                    category: scanner == "title-length" ? .content : nil,
                    standards: scanner == "axe" ? criterion.map { [StandardReference.wcag($0)!] } ?? [.bestPractice] : nil)
            }
            var pages: [ScannedPage] = []
            var findings: [ScannerFinding] = []
            for url in urls {
                var page = ScannedPage(url: url)
                var passed: [String] = []
                var inapplicable: [String] = []
                for rule in rules {
                    switch Int.random(in: 0..<5, using: &random) {
                    case 0, 1:
                        for element in 0..<Int.random(in: 1...3, using: &random) {
                            findings.append(
                                ScannerFinding(
                                    ruleId: scanner == "security-headers" ? "\(rule.id)-result\(element % 2)" : rule.id,
                                    title: rule.title, message: "fails", severity: rule.severity, url: url, selector: "#e\(element)",
                                    check: scanner == "security-headers" ? rule.id : nil))
                        }
                        if Bool.random(using: &random) { passed.append(rule.id) }
                    case 2:
                        findings.append(
                            ScannerFinding(ruleId: rule.id, title: rule.title, message: "unsure", severity: rule.severity, url: url, selector: "#r", outcome: .needsReview))
                    case 3:
                        passed.append(rule.id)
                    default:
                        inapplicable.append(rule.id)
                    }
                }
                if explicit {
                    page.passed = passed
                    page.inapplicable = inapplicable
                }
                pages.append(page)
            }
            all.append(ScannerResults(scanner: scanner, pages: pages, findings: findings, rules: rules, category: scanner == "title-length" ? .content : nil))
        }
        let formFactor: LighthouseScoring.FormFactor = Bool.random(using: &random) ? .mobile : .desktop
        let performancePages = urls.map { url in
            ScannedPage(
                url: url, passed: [],
                metrics: PageMetrics(
                    formFactor: formFactor, fcpMs: Double.random(in: 300...6000, using: &random),
                    speedIndexMs: Bool.random(using: &random) ? Double.random(in: 500...9000, using: &random) : nil,
                    lcpMs: Double.random(in: 500...9000, using: &random), tbtMs: Double.random(in: 0...1500, using: &random),
                    cls: Double.random(in: 0...0.6, using: &random)))
        }
        all.append(ScannerResults(scanner: "performance", pages: performancePages))
        return all
    }

    static func aggregate(_ results: [ScannerResults]) -> Report {
        ReportAggregator().aggregate(meta: SiteFixture.meta(), results: results)
    }

    /// Every category's score, by category.
    static func scores(_ report: Report) -> [ReportCategory: Double] {
        Dictionary(uniqueKeysWithValues: report.summary.categories.compactMap { category in category.score.map { (category.id, $0) } })
    }

    @Test("fixing an issue (an element of a violation, or a slower metric) never lowers any score", arguments: 0..<200)
    func fixingNeverLowersAnyScore(seed: Int) throws {
        var random = SplitMix64(state: UInt64(seed) &* 7919)
        let site = Self.randomSite(seed: UInt64(seed))
        let before = Self.aggregate(site)
        var fixed = site
        let candidates = fixed.indices.flatMap { scanner in
            fixed[scanner].findings.indices.filter { fixed[scanner].findings[$0].resolvedOutcome == .violation }.map { (scanner, $0) }
        }
        if let (scanner, index) = candidates.randomElement(using: &random), Bool.random(using: &random) {
            // Fix one element; when it was the rule's last one on the page, a rescan finds the rule passing there.
            let finding = fixed[scanner].findings.remove(at: index)
            let rule = finding.scoredRule
            let stillFailing = fixed[scanner].findings.contains {
                $0.scoredRule == rule && $0.url == finding.url && $0.resolvedOutcome == .violation
            }
            if !stillFailing, let page = fixed[scanner].pages.firstIndex(where: { $0.url == finding.url }),
                fixed[scanner].pages[page].passed != nil, !(fixed[scanner].pages[page].passed!.contains(rule))
            {
                fixed[scanner].pages[page].passed!.append(rule)
            }
        } else {
            // Make one metric of one page faster.
            let performance = fixed.count - 1
            let page = Int.random(in: 0..<fixed[performance].pages.count, using: &random)
            var metrics = fixed[performance].pages[page].metrics!
            switch Int.random(in: 0..<4, using: &random) {
            case 0: metrics.fcpMs = metrics.fcpMs! * Double.random(in: 0.1...1, using: &random)
            case 1: metrics.lcpMs = metrics.lcpMs! * Double.random(in: 0.1...1, using: &random)
            case 2: metrics.tbtMs = metrics.tbtMs! * Double.random(in: 0...1, using: &random)
            default: metrics.cls = metrics.cls! * Double.random(in: 0...1, using: &random)
            }
            fixed[performance].pages[page].metrics = metrics
        }
        let after = Self.aggregate(fixed)
        for (category, score) in Self.scores(before) {
            let now = try #require(Self.scores(after)[category], "seed \(seed): \(category) lost its score")
            #expect(now >= score, "seed \(seed): \(category) went from \(score) to \(now)")
        }
        if let overall = before.summary.score {
            let now = try #require(after.summary.score, "seed \(seed)")
            #expect(now >= overall, "seed \(seed)")
        }
        #expect(after.summary.totalIssues <= before.summary.totalIssues)
    }

    @Test("duplicating every page leaves every score unchanged", arguments: 0..<100)
    func duplicatingEveryPageLeavesEveryScoreUnchanged(seed: Int) {
        let site = Self.randomSite(seed: UInt64(seed) + 10_000)
        let doubled = site.map { results -> ScannerResults in
            var copy = results
            copy.pages += results.pages.map { page in
                var twin = page
                twin.url += "?copy"
                return twin
            }
            copy.findings += results.findings.map { finding in
                var twin = finding
                twin.url += "?copy"
                return twin
            }
            return copy
        }
        let before = Self.aggregate(site)
        let after = Self.aggregate(doubled)
        #expect(Self.scores(after) == Self.scores(before), "seed \(seed)")
        #expect(after.summary.score == before.summary.score, "seed \(seed)")
        #expect(after.summary.totalIssues == 2 * before.summary.totalIssues)
        for rule in before.rules {
            #expect(after.rules.first { $0.scanner == rule.scanner && $0.ruleId == rule.ruleId }?.score == rule.score)
        }
    }
}
