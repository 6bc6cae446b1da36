import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// Setups for page scanner sessions in tests.
enum PageScanSetupFixture {
    static func setup(_ id: String, config: JSONValue? = nil, fetcher: PageFetcher = PageFetcher()) -> PageScanSetup {
        PageScanSetup(
            scanner: PlannedScanner(
                id: id, version: "1.0.0", entry: ScannerEntry(builtin: id), config: config, maxConcurrency: 4,
                timeoutSeconds: 60, memoryMiB: nil, severityMapping: nil),
            fetcher: fetcher, logger: .init(label: "stageflow-test.\(id)"))
    }
}

@Suite("seo scanner sessions")
struct SEOScannerTests {
    @Test("the scanner is the page scanner seo and needs no browser")
    func identity() {
        let scanner = SEOScanner()
        #expect(scanner.id == "seo")
        #expect(!scanner.requiresBrowser)
    }

    @Test("configuration: defaults, overrides, and a mistyped field is bad input naming it")
    func configuration() async throws {
        let session = try await SEOScanner().makeSession(
            PageScanSetupFixture.setup("seo", config: try JSONValue.parse(#"{"maxTitleLength": 10, "nonDescriptiveLinkTexts": ["Docs"]}"#)))
        let page = LoadedPage(url: SEOFixture.url, html: SEOFixture.page(body: SEOFixture.body + #"<a href="/d">docs</a>"#))
        let outcome = try await session.scan(page, tab: nil)
        #expect(outcome.findings.map(\.ruleId) == ["title-too-long", "non-descriptive-link-text"])
        #expect(session.toolVersion.hasPrefix("stageflow seo"))

        await #expect(throws: ScannerRunError.self) {
            _ = try await SEOScanner().makeSession(PageScanSetupFixture.setup("seo", config: .object(["maxTitleLength": .string("long")])))
        }
        await #expect(throws: ScannerRunError.self) {
            _ = try await SEOScanner().makeSession(PageScanSetupFixture.setup("seo", config: .object(["maxDescriptionLength": .int(0)])))
        }
        let defaults = SEOSettings()
        #expect(defaults.maxTitleLength == 60 && defaults.maxDescriptionLength == 160 && defaults.minTitleLength == nil)
        #expect(defaults.nonDescriptiveLinkTexts.contains("click here"))
    }

    @Test("finish reports shared titles and descriptions once per page, counting a page reached twice once")
    func duplicates() async throws {
        let session = SEOScanSession(settings: SEOSettings())
        let shared = SEOFixture.page()
        let own = SEOFixture.page(head: SEOFixture.head.replacingOccurrences(of: "Serializers guide", with: "Views guide")
            .replacingOccurrences(of: "How serializers turn models into JSON.", with: "How views answer requests."))
        let pages = [
            LoadedPage(url: "https://example.com/a/", html: shared),
            LoadedPage(url: "https://example.com/b/", html: shared),
            LoadedPage(url: "https://example.com/b", finalURL: "https://example.com/b/", html: shared),
            LoadedPage(url: "https://example.com/c/", html: shared),
            LoadedPage(url: "https://example.com/d/", html: own),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for page in pages { group.addTask { _ = try await session.scan(page, tab: nil) } }
            try await group.waitForAll()
        }
        let findings = try await session.finish()
        let titles = findings.filter { $0.ruleId == "duplicate-title" }
        let descriptions = findings.filter { $0.ruleId == "duplicate-meta-description" }
        #expect(titles.count == 3 && descriptions.count == 3)
        #expect(Set(titles.map(\.url)).isSubset(of: ["https://example.com/a/", "https://example.com/b/", "https://example.com/b", "https://example.com/c/"]))
        #expect(titles.first { $0.url == "https://example.com/a/" }?.message.contains("shared with 2 other pages") == true)
        #expect(titles.allSatisfy { $0.selector == nil && $0.severityRaw == "warning" && $0.severity == .moderate })
    }

    @Test("a response that is not HTML (a PDF a crawl reached) is not checked; one without a type is")
    func nonHTML() async throws {
        let session = SEOScanSession(settings: SEOSettings())
        let pdf = LoadedPage(url: "https://example.com/a.pdf", headers: ["Content-Type": "application/pdf"], html: "%PDF-1.7")
        #expect(try await session.scan(pdf, tab: nil).findings.isEmpty)
        let untyped = LoadedPage(url: "https://example.com/x", html: "<p>x")
        #expect(try await session.scan(untyped, tab: nil).findings.map(\.ruleId).contains("missing-title"))
        let xhtml = LoadedPage(url: "https://example.com/y", headers: ["Content-Type": "application/xhtml+xml; charset=utf-8"], html: "<p>x")
        #expect(try await session.scan(xhtml, tab: nil).findings.map(\.ruleId).contains("missing-title"))
    }

    @Test("rule ids shared with other scanners are the ones the equivalence table lists for seo")
    func equivalences() {
        let table = EquivalenceTable.builtIn
        for rule in [
            SEORule.missingTitle, .emptyTitle, .imagesMissingAlt, .headingHierarchy, .missingH1, .missingLang, .invalidLang,
            .missingViewport, .viewportZoomDisabled, .missingMetaDescription, .invalidCanonical, .noindex, .invalidHreflang,
            .httpStatusError,
        ] {
            #expect(table.rule(scanner: "seo", ruleId: rule.id) != nil, "\(rule.id)")
        }
        #expect(table.rule(scanner: "seo", ruleId: SEORule.headingHierarchy.id)?.canonical == "heading-order")
        #expect(table.rule(scanner: "seo", ruleId: SEORule.emptyTitle.id)?.canonical == "document-title")
        #expect(Set(SEORule.allCases.map(\.id)).count == SEORule.allCases.count)
    }

    @Test(
        "the manifest validates, selects the built-in, and its config schema is the scanner's configuration",
        .enabled(if: ManifestTool.isAvailable, "python3 with PyYAML and jsonschema is not available"))
    func manifest() throws {
        let (manifest, errors) = try ManifestTool.load("manifests/scanners/seo.yaml")
        #expect(errors.isEmpty, "\(errors)")
        let scanner = try manifest.decode(as: StageflowAPI.Scanner.self)
        #expect(scanner.metadata.name == "seo" && scanner.spec.id == "seo" && scanner.spec.entry.builtin == SEOScanner().id)
        #expect(scanner.spec.capabilities?.requiresBrowser == true)
        let schema = try #require(scanner.spec.configSchema)
        #expect(schema["additionalProperties"] == .bool(false))
        let properties = try #require(schema["properties"]?.objectValue)
        #expect(Set(properties.keys) == ["maxTitleLength", "minTitleLength", "maxDescriptionLength", "nonDescriptiveLinkTexts"])
        let defaults = JSONValue.object(properties.compactMapValues { $0["default"] })
        let settings = SEOSettings(try defaults.decode(as: SEOScanner.Configuration.self))
        #expect(settings.maxTitleLength == SEOSettings().maxTitleLength && settings.maxDescriptionLength == SEOSettings().maxDescriptionLength)
        let mapping = try #require(scanner.spec.severityMapping)
        for rule in SEORule.allCases {
            #expect(mapping[rule.rawSeverity.rawValue] == rule.rawSeverity.severity, "\(rule.id)")
        }
        // The header comment names every rule.
        let text = try String(contentsOf: TestPaths.root.appendingPathComponent("manifests/scanners/seo.yaml"), encoding: .utf8)
        for rule in SEORule.allCases { #expect(text.contains(rule.id), "\(rule.id)") }
    }
}
