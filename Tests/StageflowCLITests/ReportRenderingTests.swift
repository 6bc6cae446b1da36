import Foundation
import StageflowAPI
import StageflowCLI
import StageflowReport
import Testing

@Suite("Client-side report rendering and diff output")
struct ReportRenderingTests {
    let report = ReportFixtures.report([ReportFixtures.issue("aaaaaaaaaaaa", .serious, rule: "csp"), ReportFixtures.issue("bbbbbbbbbbbb", .info, rule: "score")])

    @Test func jsonIsTheStoredReportAsItIs() throws {
        let stored = try report.jsonData(pretty: true)
        let data = try ReportRendering(format: .json).render(report, stored: stored)
        #expect(data.prefix(stored.count) == stored)
        #expect(try Report.decode(from: data) == report)
    }

    @Test func everyFormatRenders() throws {
        let stored = try report.jsonData()
        let sarif = try ReportRendering(format: .sarif).render(report, stored: stored)
        let sarifJSON = try JSONValue.parse(sarif)
        #expect(sarifJSON["version"] == "2.1.0")
        let junit = String(decoding: try ReportRendering(format: .junit).render(report, stored: stored), as: UTF8.self)
        #expect(junit.hasPrefix("<?xml"))
        #expect(junit.contains("<testsuites"))
        let html = String(decoding: try ReportRendering(format: .html).render(report, stored: stored), as: UTF8.self)
        #expect(html.hasPrefix("<!doctype html>"))
        let gate = Gate.evaluate(report, failOn: .serious, failOnNew: nil)
        let markdown = String(decoding: try ReportRendering(format: .md, gate: gate).render(report, stored: stored), as: UTF8.self)
        #expect(markdown.contains("Gate failed"))
    }

    @Test func audienceChoosesTheTabTheHTMLReportOpensOn() throws {
        let stored = try report.jsonData()
        let developer = String(decoding: try ReportRendering(format: .html).render(report, stored: stored), as: UTF8.self)
        let executive = String(decoding: try ReportRendering(format: .html, audience: .executive).render(report, stored: stored), as: UTF8.self)
        let tablist = try #require(executive.range(of: "<div role=\"tablist\""))
        let buttons = executive[tablist.upperBound...].split(separator: "\n").dropFirst().prefix(3).map(String.init)
        #expect(buttons.count == 3)
        #expect(buttons[0].contains("id=\"tab-executive\"") && buttons[0].contains("aria-selected=\"true\""))
        #expect(!buttons[0].contains("tabindex=\"-1\""))
        #expect(buttons[1].contains("id=\"tab-developer\"") && buttons[1].contains("aria-selected=\"false\" tabindex=\"-1\""))
        #expect(buttons[2].contains("id=\"tab-content\""))
        // The developer audience is the renderer's own order, the document the controller stores.
        #expect(developer == HTMLReportRenderer().render(report))
        #expect(executive.count == developer.count)
    }

    @Test func executiveMarkdownLeavesOutTheFullList() throws {
        let stored = try report.jsonData()
        let full = String(decoding: try ReportRendering(format: .md).render(report, stored: stored), as: UTF8.self)
        let executive = String(decoding: try ReportRendering(format: .md, audience: .executive).render(report, stored: stored), as: UTF8.self)
        #expect(executive.count < full.count)
    }

    @Test func diffTextListsNewAndFixedIssues() {
        let diff = ReportDiff(
            baselineJobId: "uid-0", new: ["aaaaaaaaaaaa"], unchanged: ["bbbbbbbbbbbb"],
            fixed: [BaselineIssue(id: "cccccccccccc", scanner: "link-checker", ruleId: "broken-link", title: "Broken link", url: "http://127.0.0.1/about/", severity: .serious)],
            unverified: [])
        let printer = DiffPrinter(name: "two", baseline: "one")
        let text = printer.text(diff, current: report)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "scanjobs/two against baseline scanjobs/one: 1 new, 1 fixed, 1 unchanged")
        #expect(lines.contains("New (1):"))
        #expect(lines.contains { $0.contains("aaaaaaaaaaaa") && $0.contains("security-headers/csp") })
        #expect(lines.contains("Fixed (1):"))
        #expect(lines.contains { $0.contains("cccccccccccc") && $0.contains("link-checker/broken-link") })
        #expect(!text.contains("bbbbbbbbbbbb"))
    }

    @Test func diffJSONCarriesTheNewIssuesInFull() throws {
        let diff = ReportDiff(baselineJobId: "uid-0", new: ["aaaaaaaaaaaa"], unchanged: ["bbbbbbbbbbbb"], fixed: [], unverified: [])
        let json = try JSONValue.parse(Data(try DiffPrinter(name: "two", baseline: "one").json(diff, current: report).utf8))
        #expect(json[path: ["counts", "new"]] == 1)
        #expect(json[path: ["counts", "unchanged"]] == 1)
        #expect(json["new"]?.arrayValue?.first?["ruleId"] == "csp")
        #expect(json["unchanged"] == ["bbbbbbbbbbbb"])
    }

    @Test func scanRequestBuildsTheScanJob() throws {
        let generated = ScanRequest(urls: ["http://127.0.0.1:8000/"], namespace: "team", allowPrivateTargets: true, baseline: "zero", failOn: .serious)
        let object = generated.object
        #expect(object[path: ["metadata", "generateName"]] == "scan-")
        #expect(object[path: ["metadata", "name"]] == nil)
        #expect(object[path: ["metadata", "namespace"]] == "team")
        #expect(object[path: ["spec", "scanners"]] == [["name": "security-headers"], ["name": "link-checker"]])
        #expect(object[path: ["spec", "allowPrivateTargets"]] == true)
        #expect(object[path: ["spec", "baselineRef", "name"]] == "zero")
        #expect(object[path: ["spec", "failOn"]] == "serious")
        let named = ScanRequest(urls: ["https://example.com/"], scanners: ["link-checker"], name: "one").object
        #expect(named[path: ["metadata", "name"]] == "one")
        #expect(named[path: ["spec", "allowPrivateTargets"]] == nil)
        #expect(throws: CLIError.self) { try ScanRequest(urls: []).validate() }
        #expect(throws: CLIError.self) { try ScanRequest(urls: ["/relative"]).validate() }
    }
}
