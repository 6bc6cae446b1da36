import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

@Suite("link-checker on the docs-site corpus, served by python3 -m http.server")
struct DocsSiteLinkCheckTests {
    static let isAvailable = TestPaths.exists(TestPaths.docsSite.appendingPathComponent("index.html"))

    /// Pages no link of the site leads to, seeded so that every HTML page is scanned.
    static let unlinkedPages = ["404.html", "theme/main.html", "theme/src/", "topics/writable-nested-serializers/"]

    @Test(
        "finds the missing image, both missing anchors, the one-hop redirects, and nothing else broken",
        .enabled(if: isAvailable, "the shared corpus (corpus/docs-site) is absent"))
    func docsSite() async throws {
        let server = try await LocalServer.serving(directory: TestPaths.docsSite)
        defer { server.stop() }
        let base = server.base + "/"
        let fixture = try await PlanFixture(
            urls: [base] + Self.unlinkedPages.map { base + $0 },
            scanners: [PlanFixture.builtin("link-checker", timeoutSeconds: 600)],
            crawl: try crawlOptions(#"{"maxPages": 100, "sameOrigin": true}"#))
        defer { fixture.remove() }

        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "link-checker")
        #expect(results.status == .success, "\(results.error ?? "")")

        // Every one of the 72 HTML pages, each once.
        let htmlFiles = try Self.htmlFiles()
        #expect(htmlFiles.count == 72)
        #expect(results.pages.count == 72)
        #expect(Set(results.pages.map(\.url)).count == 72)
        #expect(results.pages.allSatisfy { ($0.errors ?? []).isEmpty && $0.httpStatus == 200 })

        let findings = results.findings
        func on(_ path: String, _ rule: String) -> [ScannerFinding] {
            findings.filter { $0.url == base + path && $0.ruleId == rule }
        }
        let image = on("community/3.6-announcement/", "broken-image")
        #expect(image.map(\.selector) == [#"img[src="/img/api-docs.gif"]"#])
        #expect(image.first?.severity == .serious)
        #expect(image.first?.message.contains("404") == true)

        let anchors = findings.filter { $0.ruleId == "missing-anchor" }
        #expect(anchors.count == 2)
        #expect(on("topics/documenting-your-api/", "missing-anchor").map(\.selector) == [#"a[href="../../api-guide/schemas/#examples"]"#])
        #expect(on("community/3.5-announcement/", "missing-anchor").map(\.selector) == [#"a[href="../../api-guide/schemas/#schemas-as-documentation"]"#])

        let redirects = findings.filter { $0.ruleId == "redirect" }
        #expect(Set(redirects.map(\.url)) == [base])
        #expect(Set(redirects.compactMap(\.selector)) == [
            #"a[href="api-guide/serializers#modelserializer"]"#, #"a[href="api-guide/serializers#serializers"]"#,
            #"a[href="api-guide/views#function-based-views"]"#,
        ])
        #expect(redirects.allSatisfy { $0.message.contains("→ 301 →") && $0.severity == .minor })

        // Nothing else: no broken internal reference anywhere.
        let other = findings.filter { !["broken-image", "missing-anchor", "redirect"].contains($0.ruleId) }
        #expect(other.isEmpty, "\(other.prefix(5).map { "\($0.ruleId) \($0.url) \($0.selector ?? "")" })")
        #expect(findings.count == 6)

        let evidence = try await fixture.evidenceKeys("link-checker")
        #expect(evidence == ["artifacts/\(fixture.uid)/link-checker/evidence/links.json"])
    }

    static func htmlFiles() throws -> [String] {
        let root = TestPaths.docsSite
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".html") { files.append(path) }
        }
        return files
    }
}
