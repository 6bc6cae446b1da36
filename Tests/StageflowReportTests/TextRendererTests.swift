import Foundation
import StageflowAPI
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import StageflowReport

@Suite struct MarkdownReportRendererTests {
    @Test func prCommentLeadsWithScoreAndNewIssues() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        var axe = SiteFixture.axe(
            extra: [SiteFixture.finding("button-name", .critical, on: SiteFixture.about, selector: "a|b > `code`", tags: ["wcag2a", "wcag412"])])
        axe.findings.removeAll { $0.ruleId == "color-contrast" }
        let report = SiteFixture.report([axe, SiteFixture.seo()], baseline: baseline)
        let gate = Gate.evaluate(report, failOn: nil, failOnNew: .serious)
        let markdown = MarkdownReportRenderer(reportURL: "https://stageflow.example/reports/job-1 (html)").render(report, gate: gate)

        let score = try #require(report.summary.score)
        #expect(markdown.hasPrefix("## Stageflow scan: \(String(format: "%.1f", score)) / 100 (grade \(report.summary.grade ?? ""))"))
        #expect(markdown.contains("| Category | Score | What costs the most points |"))
        #expect(markdown.contains("> **Gate failed:**"))
        #expect(markdown.contains("| Critical | 3 | 1 |"))
        #expect(markdown.contains("1 new · 1 fixed"))
        let new = try #require(markdown.range(of: "### New since baseline (1)"))
        let top = try #require(markdown.range(of: "### Top issues"))
        #expect(new.lowerBound < top.lowerBound)
        #expect(markdown.contains("`` a\\|b > `code` ``"), "selector in a table cell: code span with a longer fence, pipe escaped")
        #expect(markdown.contains("<details>"))
        #expect(markdown.contains("Fixed since baseline"))
        #expect(markdown.contains("[full report](https://stageflow.example/reports/job-1%20%28html%29)"))
    }

    @Test func hostileTextIsEscaped() {
        let markdown = MarkdownReportRenderer().render(HTMLReportRendererTests.hostileReport())
        #expect(!markdown.contains("<b>Buttons</b>"))
        #expect(!markdown.contains("<script>alert(5)</script>"))
        #expect(!markdown.contains("javascript:"))
    }
}

@Suite struct SARIFRendererTests {
    @Test func oneRulePerScannerRuleAndFingerprintsPerResult() throws {
        let report = SiteFixture.report(baseline: SiteFixture.report(jobId: "job-0"))
        let data = try SARIFRenderer().render(report)
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let ruleIds = rules.compactMap { $0["id"] as? String }
        #expect(Set(ruleIds).count == ruleIds.count)
        #expect(Set(ruleIds) == Set(report.issues.map { "\($0.scanner)/\($0.ruleId)" }))
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == report.issues.count)
        let first = results[0]
        let issue = report.issues[0]
        #expect((first["partialFingerprints"] as? [String: String])?["stageflow/v1"] == issue.id)
        #expect(first["level"] as? String == "error")
        #expect(first["baselineState"] as? String == "unchanged")
        let location = try #require((first["locations"] as? [[String: Any]])?.first)
        #expect(((location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String == issue.url)
        let logical = (location["logicalLocations"] as? [[String: Any]])?.first
        #expect(logical?["fullyQualifiedName"] as? String == issue.primarySelector)
        #expect(logical?["kind"] as? String == "element")
        let wcag = rules.first { $0["id"] as? String == "axe/image-alt" }?["properties"] as? [String: Any]
        #expect((wcag?["tags"] as? [String])?.contains("wcag111") == true)
    }

    @Test func levels() {
        #expect(SARIFRenderer.level(for: .critical) == "error")
        #expect(SARIFRenderer.level(for: .serious) == "error")
        #expect(SARIFRenderer.level(for: .moderate) == "warning")
        #expect(SARIFRenderer.level(for: .minor) == "note")
        #expect(SARIFRenderer.level(for: .info) == "note")
    }
}

@Suite struct JUnitRendererTests {
    final class Counter: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var attributes: [String: [[String: String]]] = [:]
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements[name, default: 0] += 1
            self.attributes[name, default: []].append(attributes)
        }
    }

    func parse(_ xml: String) throws -> Counter {
        let parser = XMLParser(data: Data(xml.utf8))
        let counter = Counter()
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        return counter
    }

    @Test func oneTestCasePerPageAndScanner() throws {
        var axe = SiteFixture.axe()
        axe.pages[2].errors = ["navigation timeout"]
        let report = SiteFixture.report([axe, SiteFixture.seo(), SiteFixture.securityHeaders(), SiteFixture.lighthouseFailed(), .skipped(scanner: "open-graph", reason: "disabled")])
        let counter = try parse(JUnitRenderer(failureThreshold: .serious).render(report))
        #expect(counter.elements["testsuites"] == 1)
        #expect(counter.elements["testsuite"] == 5)
        #expect(counter.elements["testcase"] == 15)
        // Failures at serious or above: axe on / (image-alt, color-contrast) and /about (document-title);
        // /contact has a page error instead; security-headers on / (hsts-missing). seo has none at serious.
        #expect(counter.elements["failure"] == 3)
        // lighthouse failed: 3 errors; axe page error on /contact: 1.
        #expect(counter.elements["error"] == 4)
        // open-graph skipped: 3; security-headers did not visit /about and /contact: 2.
        #expect(counter.elements["skipped"] == 5)
        let root = try #require(counter.attributes["testsuites"]?.first)
        #expect(root["tests"] == "15" && root["failures"] == "3" && root["errors"] == "4" && root["skipped"] == "5")
        let suites = try #require(counter.attributes["testsuite"])
        #expect(suites.map { $0["name"] ?? "" } == ["axe", "lighthouse", "open-graph", "security-headers", "seo"])
    }

    @Test func hostileTextStillParses() throws {
        let xml = JUnitRenderer(failureThreshold: .minor).render(HTMLReportRendererTests.hostileReport())
        let counter = try parse(xml)
        #expect((counter.elements["failure"] ?? 0) > 0)
        #expect(!xml.contains("<script>"))
    }
}

@Suite struct NeedsReviewRenderingTests {
    static let report = SiteFixture.report(SchemaValidationTests.everyOutcome())

    @Test func everyFormatListsItemsThatNeedReviewApart() throws {
        #expect(Self.report.needsReview.count == 1)
        let markdown = MarkdownReportRenderer().render(Self.report)
        #expect(markdown.contains("<summary>Needs review (1): not issues, not in the score</summary>"))
        #expect(markdown.contains("`axe/color-contrast`"))
        let html = HTMLReportRenderer().render(Self.report)
        #expect(html.contains("<h3 id=\"needs-review\">Needs review (1)</h3>"))
        #expect(html.contains("id=\"review-0\""))
        let junit = JUnitRenderer().render(Self.report)
        #expect(junit.contains("name=\"needs review: color-contrast on https://example.com/about\"><skipped message=\"needs review: Contrast\"/>"))
    }

    @Test func markdownAndHTMLSayWhenThereIsNoScore() {
        let failed = SiteFixture.report([SiteFixture.lighthouseFailed()])
        #expect(MarkdownReportRenderer().render(failed).hasPrefix("## Stageflow scan: no score"))
        let html = HTMLReportRenderer().render(failed)
        #expect(html.contains("<p class=\"grade\">No score</p>"))
        #expect(html.contains("This scan has no score"))
    }
}
