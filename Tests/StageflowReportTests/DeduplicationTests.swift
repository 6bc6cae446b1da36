import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

@Suite struct DeduplicationTests {
    @Test func axeAndSEOOnTheSameElementAppearOnceWithAlsoDetectedBy() {
        let report = SiteFixture.report()
        let homeId = PageIdentifier.id(for: SiteFixture.home)
        let altIssues = report.issues.filter { $0.canonicalRule == "image-alt" && $0.pageId == homeId }
        #expect(altIssues.count == 1)
        let issue = altIssues[0]
        #expect(issue.scanner == "axe")
        #expect(issue.ruleId == "image-alt")
        #expect(issue.severity == .critical)
        #expect(issue.alsoDetectedBy == ["seo"])
        let seoId = Fingerprint.compute(scanner: "seo", ruleId: "images-missing-alt", pageId: homeId, selector: "main > img.hero")
        #expect(issue.mergedIds == [seoId])
        #expect(issue.wcagTags == ["seo", "wcag111", "wcag2a"])
        #expect(!report.issues.contains { $0.id == seoId })
    }

    @Test func pageScopedRulesMergeRegardlessOfSelector() {
        let report = SiteFixture.report()
        let titles = report.issues.filter { $0.canonicalRule == "document-title" }
        #expect(titles.count == 1)
        #expect(titles.first?.scanner == "axe")
        #expect(titles.first?.alsoDetectedBy == ["seo"])
    }

    @Test func notMergedAcrossPages() {
        // seo reports a missing alt on /contact, where axe reported nothing: it stays an seo issue.
        let report = SiteFixture.report()
        let contact = report.issues.filter { $0.pageId == PageIdentifier.id(for: SiteFixture.contact) && $0.canonicalRule == "image-alt" }
        #expect(contact.count == 1)
        #expect(contact.first?.scanner == "seo")
        #expect(contact.first?.alsoDetectedBy == [])

        // The same rule and selector on two pages stays two issues.
        let axe = ScannerResults(scanner: "axe", findings: [SiteFixture.finding("image-alt", .critical, on: SiteFixture.home, selector: "img")])
        let seo = ScannerResults(scanner: "seo", findings: [SiteFixture.finding("images-missing-alt", .serious, on: SiteFixture.about, selector: "img")])
        let split = SiteFixture.report([axe, seo])
        #expect(split.issues.count == 2)
        #expect(split.issues.allSatisfy { $0.alsoDetectedBy.isEmpty })
    }

    @Test func notMergedForDifferentSelectors() {
        // axe heading-order on `main > h4`, seo heading-hierarchy on `main > h3`: both stay.
        let report = SiteFixture.report()
        let headings = report.issues.filter { $0.canonicalRule == "heading-order" }
        #expect(Set(headings.map(\.scanner)) == ["axe", "seo"])
        #expect(headings.allSatisfy { $0.alsoDetectedBy.isEmpty })
    }

    @Test func unrelatedRulesAreNeverMerged() {
        let axe = ScannerResults(scanner: "axe", findings: [SiteFixture.finding("color-contrast", .serious, on: SiteFixture.home, selector: "p")])
        let seo = ScannerResults(scanner: "seo", findings: [SiteFixture.finding("images-missing-alt", .serious, on: SiteFixture.home, selector: "p")])
        #expect(SiteFixture.report([axe, seo]).issues.count == 2)
    }

    @Test func higherPriorityScannerIsKeptWhateverTheOrder() {
        let link = ScannerResults(scanner: "link-checker", findings: [SiteFixture.finding("broken-link", .moderate, on: SiteFixture.home, selector: "a.x")])
        let seo = ScannerResults(scanner: "seo", findings: [SiteFixture.finding("broken-link", .serious, on: SiteFixture.home, selector: "a.x")])
        for order in [[link, seo], [seo, link]] {
            let report = SiteFixture.report(order)
            #expect(report.issues.count == 1)
            #expect(report.issues.first?.scanner == "link-checker")
            #expect(report.issues.first?.severity == .moderate)
            #expect(report.issues.first?.alsoDetectedBy == ["seo"])
        }
    }

    @Test func threeScannersMergeIntoOne() {
        let finding = { (scanner: String, rule: String) in
            ScannerResults(scanner: scanner, findings: [SiteFixture.finding(rule, .serious, on: SiteFixture.home, selector: "html")])
        }
        let report = SiteFixture.report([finding("seo", "missing-lang"), finding("lighthouse", "html-has-lang"), finding("axe", "html-has-lang")])
        #expect(report.issues.count == 1)
        #expect(report.issues.first?.scanner == "axe")
        #expect(report.issues.first?.alsoDetectedBy == ["lighthouse", "seo"])
        #expect(report.issues.first?.mergedIds.count == 2)
        #expect(report.summary.byScanner == ["axe": 1, "lighthouse": 0, "seo": 0])
    }

    @Test func repeatedFindingsOfOneScannerBecomeOccurrencesOfOneIssue() {
        let axe = ScannerResults(scanner: "axe", findings: [
            SiteFixture.finding("image-alt", .serious, on: SiteFixture.home, selector: "html > body > img", html: "<img a>"),
            SiteFixture.finding("image-alt", .critical, on: "https://EXAMPLE.com/#top", selector: "img", html: "<img b>"),
            SiteFixture.finding("image-alt", .critical, on: SiteFixture.home, selector: "img", html: "<img b>"),
        ])
        let report = SiteFixture.report([axe])
        #expect(report.issues.count == 1)
        #expect(report.issues.first?.severity == .critical)
        #expect(report.issues.first?.occurrences.map(\.html) == ["<img a>", "<img b>"])
        #expect(report.scanners.first?.findings == 3)
    }

    @Test func builtInTableHasTheKnownOverlaps() throws {
        let table = EquivalenceTable.builtIn
        #expect(table.rules.count >= 15)
        #expect(table.rule(scanner: "seo", ruleId: "images-missing-alt")?.canonical == table.rule(scanner: "axe", ruleId: "image-alt")?.canonical)
        #expect(table.rule(scanner: "seo", ruleId: "missing-title")?.canonical == table.rule(scanner: "axe", ruleId: "document-title")?.canonical)
        #expect(table.rule(scanner: "seo", ruleId: "heading-hierarchy")?.canonical == table.rule(scanner: "axe", ruleId: "heading-order")?.canonical)
        #expect(table.rule(scanner: "seo", ruleId: "missing-lang")?.canonical == "html-has-lang")
        #expect(table.rule(scanner: "seo", ruleId: "link-text-missing")?.canonical == "link-name")
        #expect(table.rule(scanner: "open-graph", ruleId: "og-title-missing")?.canonical == table.rule(scanner: "seo", ruleId: "missing-og-title")?.canonical)
        #expect(table.rule(scanner: "security-headers", ruleId: "no-https")?.canonical == table.rule(scanner: "performance", ruleId: "is-on-https")?.canonical)
        #expect(table.rule(scanner: "link-checker", ruleId: "broken-image")?.canonical == table.rule(scanner: "performance", ruleId: "image-request-failed")?.canonical)
        #expect(table.rule(scanner: "axe", ruleId: "region") == nil)
        #expect(table.priority(of: "axe") == 100)
        #expect(table.priority(of: "security-headers") == 90)
        #expect(table.priority(of: "lighthouse") == 80)
        #expect(table.priority(of: "link-checker") == 70)
        #expect(table.priority(of: "seo") == 60)
        #expect(table.priority(of: "open-graph") == 50)
    }

    @Test func aRuleListedUnderTwoCanonicalRulesIsRejected() {
        let json = """
            {"defaultPriority": 50, "scannerPriority": {},
             "equivalences": [
               {"canonical": "a", "scope": "page", "members": {"seo": ["x"]}},
               {"canonical": "b", "scope": "page", "members": {"seo": ["x"]}}]}
            """
        #expect(throws: EquivalenceTableError.self) { try EquivalenceTable(jsonData: Data(json.utf8)) }
    }
}
