import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// Refuses every request, as a target policy refuses a private address.
private struct RefusingFetchPolicy: FetchPolicy {
    func check(_ address: WebAddress) async throws {
        throw FetchPolicyViolation(reason: "private address")
    }
}

@Suite("open-graph image checks against a loopback server")
struct OpenGraphImageTests {
    static func image(_ type: String, size: Int = 64) -> [String: LocalServer.Response] {
        ["*": LocalServer.Response(headers: [["Content-Type", type]], body: String(repeating: "x", count: size))]
    }

    /// A page whose only og:image is `image`.
    static func page(_ url: String, image: String) -> LoadedPage {
        LoadedPage(url: url, html: OpenGraphFixture.page(OpenGraphFixture.tags.replacingOccurrences(of: "https://example.com/og.png", with: image)))
    }

    @Test("each og:image is fetched once per run and must load as an image of plausible size")
    func images() async throws {
        let server = try await LocalServer.scripted([
            "/og.png": Self.image("image/png"),
            "/big.jpg": Self.image("image/jpeg", size: 300),
            "/page.html": Self.image("text/html; charset=utf-8"),
            "/no-head.webp": [
                "HEAD": LocalServer.Response(status: 405, headers: [["Allow", "GET"]]),
                "GET": LocalServer.Response(headers: [["Content-Type", "image/webp"]], body: "RIFF"),
            ],
            "/old.png": ["*": LocalServer.Response(status: 301, headers: [["Location", "/moved.png"]])],
            "/moved.png": Self.image("image/png"),
        ])
        defer { server.stop() }
        let session = try await OpenGraphScanner().makeSession(
            PageScanSetupFixture.setup("open-graph", config: .object(["maxImageBytes": .int(200)])))
        let base = server.base
        let pages = [
            Self.page("\(base)/a/", image: "\(base)/og.png"),
            Self.page("\(base)/b/", image: "\(base)/og.png"),
            Self.page("\(base)/c/", image: "\(base)/missing.png"),
            Self.page("\(base)/d/", image: "\(base)/page.html"),
            Self.page("\(base)/e/", image: "\(base)/big.jpg"),
            Self.page("\(base)/f/", image: "\(base)/no-head.webp"),
            Self.page("\(base)/g/", image: "\(base)/old.png"),
        ]
        var findings: [String: [ScannerFinding]] = [:]
        try await withThrowingTaskGroup(of: (String, PageScanOutcome).self) { group in
            for page in pages { group.addTask { (page.url, try await session.scan(page, tab: nil)) } }
            for try await (url, outcome) in group {
                #expect(outcome.errors.isEmpty)
                findings[url] = outcome.findings
            }
        }
        func rules(_ path: String) -> [String] { findings["\(base)\(path)"]?.map(\.ruleId) ?? ["not scanned"] }
        #expect(rules("/a/") == [] && rules("/b/") == [] && rules("/f/") == [] && rules("/g/") == [])
        #expect(rules("/c/") == ["og-image-unreachable"])
        #expect(findings["\(base)/c/"]?.first?.message.contains("HTTP 404") == true)
        #expect(findings["\(base)/c/"]?.first?.selector == "html > head > meta:nth-of-type(3)")
        #expect(rules("/d/") == ["og-image-not-image"])
        #expect(findings["\(base)/d/"]?.first?.message.contains("text/html") == true)
        #expect(rules("/e/") == ["og-image-too-large"])

        // One request per image URL however many pages name it; GET only where HEAD was refused.
        let requests = server.requests()
        #expect(requests.filter { $0 == "HEAD /og.png" }.count == 1, "\(requests)")
        #expect(requests.filter { $0.hasSuffix(" /no-head.webp") } == ["HEAD /no-head.webp", "GET /no-head.webp"])
        #expect(!requests.contains { $0.hasPrefix("GET /og.png") || $0.hasPrefix("GET /big.jpg") })
    }

    @Test("checkImages false fetches nothing; a refused image URL is a page error, not a finding")
    func policy() async throws {
        let server = try await LocalServer.scripted(["/og.png": Self.image("image/png")])
        defer { server.stop() }
        let page = Self.page("\(server.base)/a/", image: "\(server.base)/og.png")

        let unchecked = try await OpenGraphScanner().makeSession(
            PageScanSetupFixture.setup("open-graph", config: .object(["checkImages": .bool(false)])))
        #expect(try await unchecked.scan(page, tab: nil).findings.isEmpty)
        #expect(server.requests().isEmpty)

        let refused = try await OpenGraphScanner().makeSession(
            PageScanSetupFixture.setup("open-graph", fetcher: PageFetcher(policy: RefusingFetchPolicy())))
        let outcome = try await refused.scan(page, tab: nil)
        #expect(outcome.findings.isEmpty)
        #expect(outcome.errors.count == 1 && outcome.errors.first?.contains("private address") == true)
        #expect(server.requests().isEmpty)
    }

    @Test(
        "the docs-site corpus has no Open Graph tags: one page-level finding per page and nothing else",
        .enabled(if: DocsSiteSEOTests.isAvailable, "the shared corpus (corpus/docs-site) is absent"))
    func docsSite() async throws {
        let session = try await OpenGraphScanner().makeSession(PageScanSetupFixture.setup("open-graph"))
        var findings: [ScannerFinding] = []
        for page in try DocsSiteSEOTests.pages() {
            let outcome = try await session.scan(page, tab: nil)
            #expect(outcome.errors.isEmpty)
            findings += outcome.findings
        }
        #expect(findings.count == 72)
        #expect(findings.allSatisfy { $0.ruleId == "og-tags-missing" && $0.selector == nil })
        #expect(try await session.finish().isEmpty)
    }

    @Test(
        "the manifest validates, selects the built-in, and its config schema is the scanner's configuration",
        .enabled(if: ManifestTool.isAvailable, "python3 with PyYAML and jsonschema is not available"))
    func manifest() throws {
        let (manifest, errors) = try ManifestTool.load("manifests/scanners/open-graph.yaml")
        #expect(errors.isEmpty, "\(errors)")
        let scanner = try manifest.decode(as: StageflowAPI.Scanner.self)
        #expect(scanner.metadata.name == "open-graph" && scanner.spec.entry.builtin == OpenGraphScanner().id)
        #expect(scanner.spec.capabilities?.requiresBrowser == true && !OpenGraphScanner().requiresBrowser)
        let schema = try #require(scanner.spec.configSchema)
        #expect(schema["additionalProperties"] == .bool(false))
        let properties = try #require(schema["properties"]?.objectValue)
        #expect(Set(properties.keys) == ["checkImages", "minImageWidth", "minImageHeight", "maxImageBytes", "timeoutSeconds"])
        let defaults = JSONValue.object(properties.compactMapValues { $0["default"] })
        let settings = OpenGraphSettings(try defaults.decode(as: OpenGraphScanner.Configuration.self))
        let builtIn = OpenGraphSettings()
        #expect(settings.checkImages == builtIn.checkImages && settings.minImageWidth == builtIn.minImageWidth)
        #expect(settings.minImageHeight == builtIn.minImageHeight && settings.maxImageBytes == builtIn.maxImageBytes)
        #expect(settings.timeoutSeconds == builtIn.timeoutSeconds)
        let mapping = try #require(scanner.spec.severityMapping)
        for rule in OpenGraphRule.allCases {
            #expect(mapping[rule.rawSeverity.rawValue] == rule.rawSeverity.severity, "\(rule.id)")
        }
        let text = try String(contentsOf: TestPaths.root.appendingPathComponent("manifests/scanners/open-graph.yaml"), encoding: .utf8)
        for rule in OpenGraphRule.allCases { #expect(text.contains(rule.id), "\(rule.id)") }
    }
}
