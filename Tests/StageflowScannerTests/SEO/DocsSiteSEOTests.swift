import Foundation
import StageflowReport
import Testing

@testable import StageflowScanner

@Suite("seo on the docs-site corpus, read from its files")
struct DocsSiteSEOTests {
    static let isAvailable = TestPaths.exists(TestPaths.docsSite.appendingPathComponent("index.html"))
    static let base = "http://127.0.0.1:8000/"

    /// The URL a static server gives a file: `dir/index.html` is `dir/`.
    static func url(of path: String) -> String {
        if path == "index.html" { return base }
        if path.hasSuffix("/index.html") { return base + path.dropLast("index.html".count) }
        return base + path
    }

    /// Every HTML page of the site as a loaded page.
    static func pages() throws -> [LoadedPage] {
        try DocsSiteLinkCheckTests.htmlFiles().sorted().map { path in
            let html = try String(contentsOf: TestPaths.docsSite.appendingPathComponent(path), encoding: .utf8)
            return LoadedPage(url: url(of: path), headers: ["Content-Type": "text/html"], html: html)
        }
    }

    @Test(
        "finds what the corpus README lists: shared description and title, production canonicals, the stray template, six pages skipping heading levels, six images without alt, no Open Graph",
        .enabled(if: isAvailable, "the shared corpus (corpus/docs-site) is absent"))
    func docsSite() async throws {
        let pages = try Self.pages()
        #expect(pages.count == 72)
        let session = try await SEOScanner().makeSession(PageScanSetupFixture.setup("seo"))
        let outcomes = try await withThrowingTaskGroup(of: PageScanOutcome.self) { group in
            for page in pages { group.addTask { try await session.scan(page, tab: nil) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { $0.errors.isEmpty })
        let findings = outcomes.flatMap(\.findings) + (try await session.finish())
        func on(_ rule: String) -> Set<String> {
            Set(findings.filter { $0.ruleId == rule }.map { String($0.url.dropFirst(Self.base.count)) })
        }
        func count(_ rule: String) -> Int { findings.filter { $0.ruleId == rule }.count }

        // 71 pages share one meta description (all but the stray template, which has none).
        #expect(count("duplicate-meta-description") == 71)
        #expect(findings.filter { $0.ruleId == "duplicate-meta-description" }.allSatisfy {
            $0.message.contains("Django REST framework - Web APIs for Django") && $0.message.contains("70 other pages")
        })
        #expect(on("missing-meta-description") == ["theme/main.html"])

        // index.html and 404.html share a title, and no other page shares one.
        #expect(on("duplicate-title") == ["", "404.html"])
        #expect(count("duplicate-title") == 2)

        // Canonicals point to the production domain; the 404 page and the template have none.
        #expect(count("canonical-cross-origin") == 70)
        #expect(findings.filter { $0.ruleId == "canonical-cross-origin" }.allSatisfy {
            $0.message.contains("https://www.django-rest-framework.org") && $0.selector != nil
        })
        #expect(on("missing-canonical") == ["404.html", "theme/main.html"])
        #expect(count("invalid-canonical") == 0)

        // The stray template: no title, no lang, no h1.
        for rule in ["missing-title", "missing-lang", "missing-h1"] {
            #expect(on(rule) == ["theme/main.html"], "\(rule)")
        }

        // Exactly six pages skip heading levels (every skip there is h2 → h4).
        #expect(on("heading-hierarchy") == [
            "community/3.0-announcement/", "community/3.1-announcement/", "community/project-management/",
            "topics/documenting-your-api/", "topics/internationalization/", "api-guide/permissions/",
        ])
        #expect(findings.filter { $0.ruleId == "heading-hierarchy" }.allSatisfy {
            $0.message.contains("<h4>") && $0.message.contains("follows an <h2>") && $0.selector?.hasPrefix("#") == true
        })

        // Six images without alt: 2 on index.html, 3 on tutorials-and-resources, 1 on the 3.7 announcement.
        let images = findings.filter { $0.ruleId == "images-missing-alt" }
        #expect(images.count == 6)
        #expect(images.filter { $0.url == Self.base }.count == 2)
        #expect(images.filter { $0.url == Self.base + "community/tutorials-and-resources/" }.count == 3)
        #expect(images.filter { $0.url == Self.base + "community/3.7-announcement/" }.count == 1)
        #expect(Set(images.map { "\($0.url) \($0.selector ?? "")" }).count == 6)

        // Nothing about Open Graph, Twitter cards or JSON-LD, and no other document-level problem.
        #expect(!findings.contains { $0.ruleId.hasPrefix("og-") || $0.ruleId.contains("-og-") || $0.ruleId.hasPrefix("twitter") || $0.ruleId.hasPrefix("json-ld") })
        for rule in ["empty-title", "noindex", "invalid-lang", "viewport-zoom-disabled", "multiple-h1", "http-status-error", "invalid-hreflang"] {
            #expect(count(rule) == 0, "\(rule)")
        }
        #expect(on("missing-viewport") == ["theme/main.html"])

        // What else the site has: one long title, vague link texts, sponsor anchors without href.
        #expect(on("title-too-long") == ["tutorial/5-relationships-and-hyperlinked-apis/"])
        #expect(count("non-descriptive-link-text") == 5)
        #expect(on("non-descriptive-link-text") == ["", "community/third-party-packages/"])
        #expect(count("uncrawlable-link") == 4)
        #expect(on("uncrawlable-link") == ["community/kickstarter-announcement/"])

        // Every finding is on a scanned page, with the page-level ones without selector.
        let urls = Set(pages.map(\.url))
        #expect(findings.allSatisfy { urls.contains($0.url) })
        let pageLevel: Set<String> = ["duplicate-meta-description", "duplicate-title", "missing-canonical", "missing-title", "missing-lang", "missing-h1"]
        #expect(findings.filter { pageLevel.contains($0.ruleId) }.allSatisfy { $0.selector == nil })
    }
}
