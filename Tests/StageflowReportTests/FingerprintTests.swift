import StageflowAPI
import Testing

@testable import StageflowReport

@Suite struct FingerprintTests {
    @Test func fingerprintIsTheFirst12HexOfSHA256OverTheFourParts() {
        // sha256("https://example.com/")[:12] and sha256("axe|image-alt|0f115db062b7|main > img")[:12],
        // computed outside Swift (Python hashlib).
        #expect(PageIdentifier.id(for: "https://example.com/") == "0f115db062b7")
        #expect(Fingerprint.compute(scanner: "axe", ruleId: "image-alt", pageId: "0f115db062b7", selector: "main > img") == "ea62015e36d8")
        #expect(Fingerprint.hex12(of: "axe|image-alt|0f115db062b7|main > img") == "ea62015e36d8")
    }

    @Test func reportIssueIdsFollowTheFormula() {
        let report = SiteFixture.report()
        let issue = try! #require(report.issues.first { $0.scanner == "axe" && $0.ruleId == "image-alt" })
        let pageId = PageIdentifier.id(for: SiteFixture.home)
        #expect(issue.pageId == pageId)
        // The issue is the rule on the page; its element keeps the per-element fingerprint.
        #expect(issue.id == Fingerprint.compute(scanner: "axe", ruleId: "image-alt", pageId: pageId, selector: ""))
        #expect(issue.elementIds == [Fingerprint.compute(scanner: "axe", ruleId: "image-alt", pageId: pageId, selector: "main > img.hero")])
        // Page-scoped canonical rules fingerprint the document: the selector part is empty.
        let title = try! #require(report.issues.first { $0.ruleId == "document-title" })
        #expect(title.id == Fingerprint.compute(scanner: "axe", ruleId: "document-title", pageId: PageIdentifier.id(for: SiteFixture.about), selector: ""))
        for issue in report.issues { #expect(issue.id.count == 12 && issue.id.allSatisfy(\.isHexDigit)) }
    }

    @Test func sameSiteScannedTwiceGivesIdenticalFingerprintSets() {
        let first = SiteFixture.report(jobId: "run-1")
        // The second run reports in another order: scanners reversed, findings and pages shuffled.
        var shuffled = SiteFixture.results().reversed().map { results -> ScannerResults in
            var results = results
            results.findings.reverse()
            results.pages.reverse()
            return results
        }
        shuffled.swapAt(0, 1)
        let second = SiteFixture.report(shuffled, jobId: "run-2")
        #expect(Set(first.issues.map(\.id)) == Set(second.issues.map(\.id)))
        #expect(first.issues == second.issues)
        #expect(first.pages == second.pages)
    }

    @Test(arguments: [
        "https://example.com/docs",
        "HTTPS://Example.COM/docs",
        "https://example.com:443/docs",
        "https://example.com/docs#install",
        "  https://EXAMPLE.com:443/docs#top  ",
    ])
    func pageIdIsStableAcrossURLSpellings(_ spelling: String) {
        #expect(PageIdentifier.normalize(spelling) == "https://example.com/docs")
        #expect(PageIdentifier.id(for: spelling) == PageIdentifier.id(for: "https://example.com/docs"))
    }

    @Test func pageNormalisationKeepsWhatMayDistinguishDocuments() {
        #expect(PageIdentifier.normalize("https://example.com") == "https://example.com/")
        #expect(PageIdentifier.normalize("https://example.com?a=1") == "https://example.com/?a=1")
        #expect(PageIdentifier.normalize("http://example.com:80/a") == "http://example.com/a")
        #expect(PageIdentifier.normalize("http://example.com:8080/a") == "http://example.com:8080/a")
        #expect(PageIdentifier.normalize("https://example.com:80/a") == "https://example.com:80/a")
        #expect(PageIdentifier.normalize("https://[::1]:443/a") == "https://[::1]/a")
        #expect(PageIdentifier.normalize("https://example.com/a%2fb") == "https://example.com/a%2Fb")
        #expect(PageIdentifier.normalize("https://example.com/Docs/") == "https://example.com/Docs/")
        #expect(PageIdentifier.id(for: "https://example.com/docs/") != PageIdentifier.id(for: "https://example.com/docs"))
        #expect(PageIdentifier.id(for: "https://example.com/docs?page=2") != PageIdentifier.id(for: "https://example.com/docs"))
    }

    @Test(arguments: [
        ("main > img", "main > img"),
        ("  main>img  ", "main > img"),
        ("main\n  >\timg", "main > img"),
        ("html > body > main > img", "main > img"),
        ("html body main img", "main img"),
        (":root > body > div", "div"),
        ("body > div", "div"),
        ("html", "html"),
        ("body", "body"),
        ("html > body", "body"),
        ("a[href='/x']", "a[href=\"/x\"]"),
        ("a[title='say \"hi\"']", "a[title=\"say \\\"hi\\\"\"]"),
        ("a[href=\"/x > y\"]", "a[href=\"/x > y\"]"),
        ("li:nth-child(2n+1) ~ li", "li:nth-child(2n+1) ~ li"),
        ("a[class~=x]+b", "a[class~=x] + b"),
        ("h1,h2", "h1, h2"),
        ("html.dark > main", "html.dark > main"),
        ("#Main .Item", "#Main .Item"),
    ])
    func selectorNormalisation(_ input: String, _ expected: String) {
        #expect(SelectorNormalizer.normalize(input) == expected)
        #expect(SelectorNormalizer.normalize(expected) == expected)
    }

    @Test func missingSelectorIsEmpty() {
        #expect(SelectorNormalizer.normalize(nil) == "")
        #expect(SelectorNormalizer.normalize("   ") == "")
    }
}
