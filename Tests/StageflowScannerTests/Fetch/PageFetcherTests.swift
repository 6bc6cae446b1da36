import Foundation
import StageflowAPI
import Testing

@testable import StageflowScanner

@Suite("fetching through PageFetcher against a local server")
struct PageFetcherTests {
    typealias Response = LocalServer.Response

    static func redirect(_ location: String, _ status: Int = 301) -> [String: Response] {
        ["*": Response(status: status, headers: [["Location", location]])]
    }

    static let page: [String: Response] = ["*": Response(body: "<html><h1 id='here'>ok</h1></html>")]

    @Test("redirects are followed by hand and every hop is recorded")
    func redirectChain() async throws {
        let server = try await LocalServer.scripted([
            "/a": Self.redirect("/b", 301), "/b": Self.redirect("c", 302), "/c": Self.page,
        ])
        defer { server.stop() }
        let fetch = try await PageFetcher().fetch(FetchRequest(WebAddress(server.base + "/a")!))
        #expect(fetch.status == 200)
        #expect(fetch.final.key == server.base + "/c")
        #expect(fetch.hops.map(\.status) == [301, 302, 200])
        #expect(fetch.redirects.map(\.location) == [server.base + "/b", server.base + "/c"])
        #expect(fetch.body.map { String(decoding: $0, as: UTF8.self) }?.contains("ok") == true)
    }

    @Test("a loop is detected, and a chain longer than the limit stops")
    func loopsAndLimits() async throws {
        var routes = ["/loop1": Self.redirect("/loop2"), "/loop2": Self.redirect("/loop1")]
        for step in 0..<12 { routes["/hop\(step)"] = Self.redirect("/hop\(step + 1)") }
        let server = try await LocalServer.scripted(routes)
        defer { server.stop() }
        let loop = try await PageFetcher().fetch(FetchRequest(WebAddress(server.base + "/loop1")!))
        #expect(loop.failure?.kind == .redirectLoop)
        #expect(loop.hops.count == 2)
        let long = try await PageFetcher().fetch(FetchRequest(WebAddress(server.base + "/hop0")!, maxRedirects: 10))
        #expect(long.failure?.kind == .tooManyRedirects)
        #expect(long.hops.count == 11)
    }

    @Test("a slow answer is a timeout failure, not an error")
    func timeout() async throws {
        let server = try await LocalServer.scripted(["/slow": ["*": Response(body: "late", delay: 3)]])
        defer { server.stop() }
        let fetch = try await PageFetcher().fetch(FetchRequest(WebAddress(server.base + "/slow")!, timeout: .milliseconds(500)))
        #expect(fetch.failure?.kind == .timeout)
        #expect(fetch.status == nil)
    }

    @Test("the fetch policy is asked for every hop; a refusal is a blocked failure")
    func policy() async throws {
        struct NoSecondHop: FetchPolicy {
            func check(_ address: WebAddress) async throws {
                if address.url.path == "/b" { throw FetchPolicyViolation(reason: "not allowed in this test") }
            }
        }
        let server = try await LocalServer.scripted(["/a": Self.redirect("/b"), "/b": Self.page])
        defer { server.stop() }
        let fetch = try await PageFetcher(policy: NoSecondHop()).fetch(FetchRequest(WebAddress(server.base + "/a")!))
        #expect(fetch.failure?.kind == .blocked)
        #expect(fetch.hops.map(\.status) == [301])
        #expect(server.requests() == ["GET /a"])
    }

    @Test("HEAD first; GET when HEAD is refused (405) or errs; GET directly when anchors are needed")
    func headThenGet() async throws {
        let server = try await LocalServer.scripted([
            "/ok": Self.page,
            "/nohead": ["HEAD": Response(status: 405), "GET": Response(body: "fine")],
            "/gone": ["*": Response(status: 404)],
            "/anchors": Self.page,
        ])
        defer { server.stop() }
        let checker = LinkTargetChecker(
            fetcher: PageFetcher(), timeout: .seconds(5), maxRedirects: 10, perHost: 2, width: 4,
            deadline: .now + .seconds(60))
        let results = try await checker.check([
            (WebAddress(server.base + "/ok")!, false), (WebAddress(server.base + "/nohead")!, false),
            (WebAddress(server.base + "/gone")!, false), (WebAddress(server.base + "/anchors")!, true),
        ])
        #expect(results[server.base + "/ok"]?.method == "HEAD")
        #expect(results[server.base + "/nohead"]?.method == "GET")
        #expect(results[server.base + "/nohead"]?.fetch.status == 200)
        #expect(results[server.base + "/gone"]?.fetch.status == 404)
        #expect(results[server.base + "/anchors"]?.anchors == ["here"])
        let log = server.requests()
        #expect(log.filter { $0.hasSuffix(" /nohead") } == ["HEAD /nohead", "GET /nohead"])
        #expect(log.filter { $0.hasSuffix(" /ok") } == ["HEAD /ok"])
        #expect(log.filter { $0.hasSuffix(" /anchors") } == ["GET /anchors"])
    }

    @Test("the crawl follows same-origin links breadth-first up to maxPages and fetches each URL once")
    func crawl() async throws {
        func page(_ links: [String]) -> [String: Response] {
            ["*": Response(body: links.map { "<a href=\"\($0)\">x</a>" }.joined())]
        }
        let server = try await LocalServer.scripted([
            "/": page(["/one", "/two", "/two#again", "/redirect", "/file.pdf", "https://elsewhere.example/"]),
            "/one": page(["/three", "/"]), "/two": page(["/one"]), "/three": page(["/four"]), "/four": page([]),
            "/redirect": Self.redirect("/two"),
            "/file.pdf": ["*": Response(headers: [["Content-Type", "application/pdf"]], body: "%PDF")],
        ])
        defer { server.stop() }
        let options = try crawlOptions(#"{"maxPages": 4, "sameOrigin": true}"#)
        let crawler = PageCrawler(fetcher: PageFetcher(), options: .init(crawl: options, concurrency: 2))
        let outcome = try await crawler.crawl(seeds: [server.base + "/"])
        let expected: [String] = ["/", "/one", "/two", "/three"].map { server.base + $0 }
        #expect(outcome.pages.map(\.url) == expected)
        #expect(outcome.otherFetches[server.base + "/file.pdf"]?.status == 200)
        #expect(outcome.otherFetches[server.base + "/redirect"]?.final.key == server.base + "/two")
        let gets = server.requests().filter { $0.hasPrefix("GET ") }
        // Linked three times, fetched once; never reached within maxPages.
        #expect(gets.filter { $0 == "GET /one" }.count == 1)
        #expect(!gets.contains("GET /four"))
    }
}

/// Crawl options from JSON (the API type has no public memberwise initialiser).
func crawlOptions(_ json: String) throws -> CrawlOptions {
    try JSONDecoder().decode(CrawlOptions.self, from: Data(json.utf8))
}
