import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

/// Standards on findings: WCAG success criteria from axe's tags, the filters gates use, and the gate itself.
@Suite struct StandardsTests {
    @Test func axeTagsBecomeWCAGSuccessCriteriaWithTheirLevel() throws {
        let contrast = StandardReference.fromTags(["cat.color", "wcag2aa", "wcag143", "TTv5", "EN-9.1.4.3"])
        #expect(contrast.count == 1)
        let criterion = try #require(contrast.first)
        #expect(criterion.kind == .wcag && criterion.id == "1.4.3" && criterion.level == .aa)
        #expect(criterion.title == "Contrast (Minimum)")
        #expect(criterion.label == "WCAG 2.2 SC 1.4.3 Contrast (Minimum) (AA)")
        #expect(criterion.url == "https://www.w3.org/WAI/WCAG22/Understanding/contrast-minimum.html")
        #expect(StandardReference.fromTags(["wcag2aa", "wcag1410"]).first?.title == "Reflow")
        #expect(StandardReference.fromTags(["wcag22aa", "wcag258"]).first?.level == .aa)
        #expect(StandardReference.fromTags(["wcag2a", "wcag412", "wcag131"]).compactMap(\.id) == ["1.3.1", "4.1.2"])
        #expect(StandardReference.fromTags(["cat.keyboard", "best-practice"]) == [.bestPractice])
        #expect(StandardReference.fromTags(["wcag999", "wcag2a"]).isEmpty)
        #expect(WCAGCriterion.all.count == 87)
        #expect(WCAGCriterion.named("4.1.1")?.isPart(ofEdition: 22) == false)
        #expect(WCAGCriterion.named("4.1.1")?.isPart(ofEdition: 21) == true)
        #expect(WCAGCriterion.named("2.5.8")?.isPart(ofEdition: 21) == false)
    }

    @Test func filtersParseAndSelectByEditionAndLevel() throws {
        #expect(StandardFilter(name: "wcag22aa") == .wcag22aa)
        #expect(StandardFilter(name: "WCAG21A")?.scope == .wcag(edition: 21, level: .a))
        #expect(StandardFilter(name: "wcag2aaa")?.scope == .wcag(edition: 20, level: .aaa))
        #expect(StandardFilter(name: "all") == .all)
        #expect(StandardFilter(name: "wcag23aa") == nil)
        #expect(StandardFilter(name: "best-practice") == nil)
        #expect(StandardFilter.names.count == 10)
        for name in StandardFilter.names { #expect(StandardFilter(name: name)?.description == name) }

        let aa = [StandardReference.wcag("1.4.3")!]
        let aaa = [StandardReference.wcag("1.4.6")!]
        let new22 = [StandardReference.wcag("2.5.8")!]
        let parsing = [StandardReference.wcag("4.1.1")!]
        #expect(StandardFilter.wcag22aa.includes(category: .accessibility, standards: aa))
        #expect(!StandardFilter.wcag22aa.includes(category: .accessibility, standards: aaa))
        #expect(!StandardFilter.wcag22aa.includes(category: .accessibility, standards: [.bestPractice]))
        #expect(!StandardFilter.wcag22aa.includes(category: .accessibility, standards: parsing))
        #expect(StandardFilter(name: "wcag21aa")!.includes(category: .accessibility, standards: parsing))
        #expect(!StandardFilter(name: "wcag21aa")!.includes(category: .accessibility, standards: new22))
        #expect(!StandardFilter(name: "wcag22a")!.includes(category: .accessibility, standards: aa))
        #expect(StandardFilter.all.includes(category: .accessibility, standards: [.bestPractice]))
        // Other categories are not judged by WCAG.
        #expect(StandardFilter.wcag22aa.includes(category: .security, standards: []))
    }

    @Test func theGateCountsBestPracticeOnlyWhenAskedTo() throws {
        // heading-order is moderate best practice in the fixture; the rest of its accessibility issues are WCAG A/AA.
        let report = SiteFixture.report()
        let moderate = Gate.evaluate(report, failOn: .moderate, failOnNew: nil)
        #expect(!moderate.passed)
        #expect(moderate.reasons.first?.contains("1 accessibility issue outside WCAG 2.2 AA not counted") == true)
        let all = Gate.evaluate(report, failOn: .moderate, failOnNew: nil, standard: .all)
        let count = { (result: GateResult) in Int(result.reasons.first!.prefix { $0.isNumber })! }
        #expect(count(all) == count(moderate) + 1)
        // A report of only best-practice accessibility issues passes the default gate at any severity.
        let bestPractice = ScannerResults(
            scanner: "axe", pages: [ScannedPage(url: SiteFixture.home, passed: [])],
            findings: [SiteFixture.finding("region", .moderate, on: SiteFixture.home, selector: "p", tags: ["best-practice"])])
        let advice = SiteFixture.report([bestPractice])
        #expect(advice.issues.first?.standards == [.bestPractice])
        #expect(Gate.evaluate(advice, failOn: .info, failOnNew: nil).passed)
        #expect(!Gate.evaluate(advice, failOn: .info, failOnNew: nil, standard: .all).passed)
    }

    @Test func everyIssueCarriesItsStandards() throws {
        let report = SiteFixture.report()
        let alt = try #require(report.issues.first { $0.ruleId == "image-alt" })
        #expect(alt.standards.map(\.id) == ["1.1.1"])
        #expect(alt.category == .accessibility)
        let title = try #require(report.issues.first { $0.ruleId == "document-title" })
        #expect(title.standards.first?.label == "WCAG 2.2 SC 2.4.2 Page Titled (A)")
    }

    @Test func aContract2ReportStillReadsAsABaseline() throws {
        // One issue per element, no outcome, category or standards; a needs-review item among the issues.
        let json = """
            {"version": "2.0.0", "status": "complete",
             "meta": {"jobId": "old", "baseUrl": "https://example.com/", "scannedAt": "t", "completedAt": "t", "durationMs": 1},
             "summary": {"score": 81.6, "grade": "B", "totalIssues": 2, "bySeverity": {"critical": 0, "serious": 1, "moderate": 0, "minor": 1, "info": 0},
                         "byScanner": {"axe": 2}, "pagesScanned": 1, "pagesWithIssues": 1},
             "scanners": [{"id": "axe", "status": "success", "priority": 100, "findings": 2, "issues": 2, "pagesScanned": 1}],
             "pages": [{"id": "0f115db062b7", "url": "https://example.com/", "scanners": ["axe"], "issueCount": 2,
                        "bySeverity": {"critical": 0, "serious": 1, "moderate": 0, "minor": 1, "info": 0}, "issueBoxes": []}],
             "issues": [
               {"id": "aaaaaaaaaaaa", "pageId": "0f115db062b7", "url": "https://example.com/", "scanner": "axe", "ruleId": "color-contrast",
                "title": "t", "message": "m", "severity": "serious", "wcagTags": ["wcag2aa", "wcag143"], "occurrences": [{"selector": "p"}],
                "alsoDetectedBy": [], "mergedIds": []},
               {"id": "bbbbbbbbbbbb", "pageId": "0f115db062b7", "url": "https://example.com/", "scanner": "axe", "ruleId": "color-contrast",
                "title": "t", "message": "m", "severity": "minor", "severityRaw": "review-serious", "wcagTags": [], "occurrences": [{"selector": "h1"}],
                "alsoDetectedBy": [], "mergedIds": []}],
             "artifacts": [], "errors": []}
            """
        let old = try Report.decode(from: Data(json.utf8))
        #expect(old.issues.count == 1 && old.needsReview.count == 1)
        #expect(old.issues[0].elementIds == ["aaaaaaaaaaaa"])
        #expect(old.issues[0].standards.map(\.id) == ["1.4.3"])
        #expect(old.summary.score == 81.6 && old.summary.categories.isEmpty)
        let diff = BaselineDiff.compare(SiteFixture.report(), with: old)
        #expect(diff.baselineScore == 81.6)
        // The old contrast element is gone from / (axe scanned it again); the review item takes no part.
        #expect(diff.fixed.map(\.id) == ["aaaaaaaaaaaa"] && diff.unverified.isEmpty)
        #expect(diff.counts.new == 11 && diff.counts.newIssues == 11)
    }
}
