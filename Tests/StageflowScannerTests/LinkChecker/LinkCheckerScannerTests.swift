import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

@Suite("link-checker on small local sites")
struct LinkCheckerScannerTests {
    typealias Response = LocalServer.Response

    static func html(_ body: String) -> [String: Response] {
        ["*": Response(body: "<html><head><title>t</title></head><body>\(body)</body></html>")]
    }

    func run(_ urls: [String], config: JSONValue? = nil, crawl: CrawlOptions? = nil) async throws -> ScannerResults {
        let fixture = try await PlanFixture(
            urls: urls, scanners: [PlanFixture.builtin("link-checker", config: config)], crawl: crawl)
        defer { fixture.remove() }
        return try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "link-checker")
    }

    @Test("loops, timeouts, broken resources, same-page anchors and servers that refuse HEAD")
    func decisions() async throws {
        let server = try await LocalServer.scripted([
            "/": Self.html("""
                <h2 id="here">x</h2><a href="#here">ok</a><a href="#nowhere">bad anchor</a>
                <a href="/loop">loop</a><a href="/slow">slow</a><a href="/nohead">nohead</a>
                <script src="/missing.js"></script><link rel="stylesheet" href="/site.css">
                """),
            "/loop": ["*": Response(status: 302, headers: [["Location", "/loop"]])],
            "/slow": ["*": Response(body: "late", delay: 3)],
            "/nohead": ["HEAD": Response(status: 405), "GET": Response(body: "fine")],
            "/site.css": ["*": Response(headers: [["Content-Type", "text/css"]], body: "body{}")],
        ])
        defer { server.stop() }
        let results = try await run([server.base + "/"], config: ["timeoutSeconds": 1])
        let rules = Dictionary(grouping: results.findings, by: \.ruleId).mapValues { $0.compactMap(\.selector) }
        #expect(rules["missing-anchor"] == [##"a[href="#nowhere"]"##])
        #expect(rules["redirect-loop"] == [#"a[href="/loop"]"#])
        #expect(rules["timeout"] == [#"a[href="/slow"]"#])
        #expect(rules["broken-resource"] == [#"script[src="/missing.js"]"#])
        #expect(results.findings.count == 4)
        #expect(server.requests().filter { $0.hasSuffix(" /nohead") } == ["HEAD /nohead", "GET /nohead"])
    }

    @Test("external links only with checkExternal; ignored prefixes never")
    func external() async throws {
        let other = try await LocalServer.scripted(["/ok": Self.html("fine")])
        defer { other.stop() }
        let site = try await LocalServer.scripted([
            "/": Self.html(#"<a href="\#(other.base)/ok">ok</a><a href="\#(other.base)/gone">gone</a><a href="/admin/x">admin</a>"#)
        ])
        defer { site.stop() }
        let internalOnly = try await run([site.base + "/"])
        #expect(internalOnly.findings.map(\.ruleId) == ["broken-link"])
        #expect(other.requests().isEmpty)
        let adminRequests = site.requests().filter { $0.hasSuffix("/admin/x") }.count

        let withExternal = try await run(
            [site.base + "/"], config: ["checkExternal": true, "ignore": .array([.string(site.base + "/admin/")])])
        let broken = withExternal.findings.filter { $0.ruleId == "broken-link" }
        #expect(broken.map(\.selector) == [#"a[href="\#(other.base)/gone"]"#])
        #expect(broken.first?.severity == .moderate)
        #expect(site.requests().filter { $0.hasSuffix("/admin/x") }.count == adminRequests)
    }

    @Test("the crawl reads sitemap.xml when asked, keeping same-origin entries")
    func sitemap() async throws {
        let server = try await LocalServer.scripted([
            "/": Self.html("no links"), "/a": Self.html("a"), "/b": Self.html("b"),
            "/sitemap.xml": ["*": Response(
                headers: [["Content-Type", "application/xml"]],
                body: """
                    <urlset><url><loc> {{base}}/a </loc></url><url><loc>{{base}}/b</loc></url>
                    <url><loc>/relative</loc></url><url><loc>https://elsewhere.example/</loc></url></urlset>
                    """)],
        ])
        defer { server.stop() }
        let results = try await run([server.base + "/"], crawl: try crawlOptions(#"{"maxPages": 10, "sitemap": true}"#))
        #expect(results.pages.map(\.url) == ["/", "/a", "/b"].map { server.base + $0 })
        let withoutSitemap = try await run([server.base + "/"], crawl: try crawlOptions(#"{"maxPages": 10}"#))
        #expect(withoutSitemap.pages.map(\.url) == [server.base + "/"])
    }
}
