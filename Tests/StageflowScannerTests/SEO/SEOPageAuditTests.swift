import StageflowHTTP
import StageflowReport
import Testing

@testable import StageflowScanner

/// A page that passes every `seo` check, and variations of it.
enum SEOFixture {
    static let url = "https://example.com/guide/"

    static let head = """
        <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Serializers guide</title><meta name="description" content="How serializers turn models into JSON.">
        <link rel="canonical" href="https://example.com/guide/">
        """
    static let body = """
        <h1>Serializers</h1><h2>Fields</h2><p>See <a href="/fields/">the field reference</a>.</p>
        <img src="/a.png" alt="A diagram"><img src="/spacer.gif" alt="">
        """

    /// The page with parts of its head or body replaced.
    static func page(
        head: String = head, body: String = body, htmlAttributes: String = #"lang="en""#
    ) -> String {
        "<!doctype html><html \(htmlAttributes)><head>\(head)</head><body>\(body)</body></html>"
    }

    /// The findings of the page checks.
    static func findings(
        _ html: String, url: String = url, status: Int = 200, headers: HTTPHeaders = [:],
        settings: SEOSettings = SEOSettings()
    ) -> [ScannerFinding] {
        SEOPageAudit(page: LoadedPage(url: url, status: status, headers: headers, html: html), settings: settings).findings
    }

    /// The rule ids found, in order.
    static func rules(
        _ html: String, url: String = url, headers: HTTPHeaders = [:], settings: SEOSettings = SEOSettings()
    ) -> [String] {
        findings(html, url: url, headers: headers, settings: settings).map(\.ruleId)
    }
}

@Suite("seo page checks")
struct SEOPageAuditTests {
    @Test("a well-formed page has no findings")
    func cleanPage() {
        let findings = SEOFixture.findings(SEOFixture.page())
        #expect(findings.isEmpty, "\(findings.map { "\($0.ruleId): \($0.message)" })")
    }

    @Test("title: missing, empty, too long, too short (only when configured)")
    func title() {
        let head = SEOFixture.head
        #expect(SEOFixture.rules(SEOFixture.page(head: head.replacingOccurrences(of: "<title>Serializers guide</title>", with: ""))) == ["missing-title"])
        #expect(SEOFixture.rules(SEOFixture.page(head: head.replacingOccurrences(of: "Serializers guide", with: "  "))) == ["empty-title"])
        let long = String(repeating: "word ", count: 14)
        let longFindings = SEOFixture.findings(SEOFixture.page(head: head.replacingOccurrences(of: "Serializers guide", with: long)))
        #expect(longFindings.map(\.ruleId) == ["title-too-long"])
        #expect(longFindings.first?.message.contains("69 characters") == true)
        #expect(longFindings.first?.selector == "html > head > title:nth-of-type(1)")
        #expect(longFindings.first?.severity == .minor && longFindings.first?.severityRaw == "notice")
        var settings = SEOSettings()
        settings.minTitleLength = 20
        #expect(SEOFixture.rules(SEOFixture.page(), settings: settings) == ["title-too-short"])
        // An svg's <title> is not the document's.
        let svgOnly = SEOFixture.page(
            head: head.replacingOccurrences(of: "<title>Serializers guide</title>", with: ""),
            body: "<h1>x</h1><svg><title>icon</title></svg>")
        #expect(SEOFixture.rules(svgOnly) == ["missing-title"])
    }

    @Test("meta description: missing, empty, too long")
    func description() {
        let head = SEOFixture.head
        let without = head.replacingOccurrences(of: #"<meta name="description" content="How serializers turn models into JSON.">"#, with: "")
        #expect(SEOFixture.rules(SEOFixture.page(head: without)) == ["missing-meta-description"])
        #expect(SEOFixture.rules(SEOFixture.page(head: without + #"<meta name="Description" content=" ">"#)) == ["missing-meta-description"])
        let long = without + #"<meta name="description" content="\#(String(repeating: "a", count: 161))">"#
        #expect(SEOFixture.rules(SEOFixture.page(head: long)) == ["meta-description-too-long"])
    }

    @Test("headings: no h1, several h1, skipped levels reported on the heading that skips")
    func headings() {
        #expect(SEOFixture.rules(SEOFixture.page(body: "<h2>a</h2><h3>b</h3>")) == ["missing-h1"])
        #expect(SEOFixture.rules(SEOFixture.page(body: "<h1>a</h1><h1>b</h1>")) == ["multiple-h1"])
        let skip = SEOFixture.findings(SEOFixture.page(body: ##"<h1>a</h1><h2>b</h2><h4 id="deep">c <a href="#deep">¶</a></h4><h2>d</h2><h3>e</h3><h6>f</h6>"##))
        #expect(skip.map(\.ruleId) == ["heading-hierarchy", "heading-hierarchy"])
        #expect(skip.map(\.selector) == ["#deep", "html > body > h6:nth-of-type(1)"])
        #expect(skip[0].message == #"<h4> "c ¶" follows an <h2>, skipping level h3."#)
        #expect(skip[1].message.contains("skipping levels h4, h5"))
        // The first heading may start below h1; going back up is fine.
        #expect(SEOFixture.rules(SEOFixture.page(body: "<h3>x</h3><h1>a</h1><h2>b</h2><h3>c</h3><h1>d</h1>")) == ["multiple-h1"])
    }

    @Test("lang: missing, empty, invalid; valid tags pass")
    func lang() {
        #expect(SEOFixture.rules(SEOFixture.page(htmlAttributes: "")) == ["missing-lang"])
        #expect(SEOFixture.rules(SEOFixture.page(htmlAttributes: #"lang=" ""#)) == ["missing-lang"])
        #expect(SEOFixture.rules(SEOFixture.page(htmlAttributes: #"lang="english""#)) == ["invalid-lang"])
        #expect(SEOFixture.rules(SEOFixture.page(htmlAttributes: #"lang="en-UK""#)) == ["invalid-lang"])
        for valid in ["en-GB", "pt_BR", "zh-Hant-TW", "es-419", "de-CH-1996", "haw"] {
            #expect(SEOFixture.rules(SEOFixture.page(htmlAttributes: #"lang="\#(valid)""#)).isEmpty, "\(valid)")
        }
    }

    @Test("viewport: missing, zoom disabled by user-scalable or a low maximum-scale")
    func viewport() {
        let head = SEOFixture.head
        let tag = #"<meta name="viewport" content="width=device-width, initial-scale=1">"#
        #expect(SEOFixture.rules(SEOFixture.page(head: head.replacingOccurrences(of: tag, with: ""))) == ["missing-viewport"])
        let noZoom = head.replacingOccurrences(of: "initial-scale=1", with: "initial-scale=1, user-scalable=no")
        #expect(SEOFixture.rules(SEOFixture.page(head: noZoom)) == ["viewport-zoom-disabled"])
        let lowMaximum = head.replacingOccurrences(of: "initial-scale=1", with: "initial-scale=1; maximum-scale=1.0")
        #expect(SEOFixture.rules(SEOFixture.page(head: lowMaximum)) == ["viewport-zoom-disabled"])
        let fine = head.replacingOccurrences(of: "initial-scale=1", with: "initial-scale=1, maximum-scale=5")
        #expect(SEOFixture.rules(SEOFixture.page(head: fine)).isEmpty)
    }

    @Test("canonical: missing, cross-origin, relative, conflicting, markup against Link header")
    func canonical() {
        let head = SEOFixture.head
        let tag = #"<link rel="canonical" href="https://example.com/guide/">"#
        let without = head.replacingOccurrences(of: tag, with: "")
        #expect(SEOFixture.rules(SEOFixture.page(head: without)) == ["missing-canonical"])
        let production = head.replacingOccurrences(of: "https://example.com/guide/", with: "https://www.example.org/guide/")
        let crossOrigin = SEOFixture.findings(SEOFixture.page(head: production))
        #expect(crossOrigin.map(\.ruleId) == ["canonical-cross-origin"])
        #expect(crossOrigin.first?.message.contains("https://www.example.org") == true)
        let relative = head.replacingOccurrences(of: "https://example.com/guide/", with: "/guide/")
        #expect(SEOFixture.rules(SEOFixture.page(head: relative)) == ["invalid-canonical"])
        let two = head + #"<link rel="Canonical" href="https://example.com/other/">"#
        #expect(SEOFixture.rules(SEOFixture.page(head: two)) == ["invalid-canonical"])
        let same = head + tag
        #expect(SEOFixture.rules(SEOFixture.page(head: same)).isEmpty)
        let header: HTTPHeaders = ["Link": #"<https://example.com/print/>; rel="canonical""#]
        #expect(SEOFixture.rules(SEOFixture.page(), headers: header) == ["invalid-canonical"])
        let agreeing: HTTPHeaders = ["Link": #"</style.css>; rel=preload, <https://example.com/guide/>; rel="canonical""#]
        #expect(SEOFixture.rules(SEOFixture.page(), headers: agreeing).isEmpty)
        #expect(SEOFixture.rules(SEOFixture.page(head: without), headers: agreeing).isEmpty)
    }

    @Test("noindex from the robots meta tag or the X-Robots-Tag header")
    func noindex() {
        let head = SEOFixture.head
        #expect(SEOFixture.rules(SEOFixture.page(head: head + #"<meta name="robots" content="noindex, follow">"#)) == ["noindex"])
        #expect(SEOFixture.rules(SEOFixture.page(head: head + #"<meta name="googlebot" content="NONE">"#)) == ["noindex"])
        #expect(SEOFixture.rules(SEOFixture.page(head: head + #"<meta name="robots" content="index, nofollow">"#)).isEmpty)
        #expect(SEOFixture.rules(SEOFixture.page(), headers: ["X-Robots-Tag": "googlebot: noindex"]) == ["noindex"])
        #expect(SEOFixture.rules(SEOFixture.page(), headers: ["X-Robots-Tag": "unavailable_after: 25 Jun 2030 15:00:00 PST"]).isEmpty)
    }

    @Test("hreflang: codes, absolute URLs, self-reference and x-default")
    func hreflang() {
        let alternates = """
            <link rel="alternate" hreflang="en" href="https://example.com/guide/">
            <link rel="alternate" hreflang="de-DE" href="https://example.com/de/guide/">
            <link rel="alternate" hreflang="x-default" href="https://example.com/guide/">
            """
        #expect(SEOFixture.rules(SEOFixture.page(head: SEOFixture.head + alternates)).isEmpty)
        let badCode = alternates.replacingOccurrences(of: "de-DE", with: "en-UK")
        let bad = SEOFixture.findings(SEOFixture.page(head: SEOFixture.head + badCode))
        #expect(bad.map(\.ruleId) == ["invalid-hreflang"])
        #expect(bad.first?.message.contains("unknown region") == true)
        #expect(bad.first?.selector == "html > head > link:nth-of-type(3)")
        let relative = alternates.replacingOccurrences(of: "https://example.com/de/guide/", with: "/de/guide/")
        #expect(SEOFixture.rules(SEOFixture.page(head: SEOFixture.head + relative)) == ["invalid-hreflang"])
        let noSelf = alternates.replacingOccurrences(of: #"hreflang="en" href="https://example.com/guide/""#, with: #"hreflang="fr" href="https://example.com/fr/""#)
            .replacingOccurrences(of: #"hreflang="x-default" href="https://example.com/guide/""#, with: #"hreflang="x-default" href="https://example.com/""#)
        #expect(SEOFixture.rules(SEOFixture.page(head: SEOFixture.head + noSelf)) == ["hreflang-missing-self-reference"])
        let noDefault = alternates.replacingOccurrences(of: #"<link rel="alternate" hreflang="x-default" href="https://example.com/guide/">"#, with: "")
        #expect(SEOFixture.rules(SEOFixture.page(head: SEOFixture.head + noDefault)) == ["hreflang-missing-x-default"])
        #expect(SEOPageAudit.hreflangProblem("jp") != nil)
        #expect(SEOPageAudit.hreflangProblem("zh-Hans") == nil)
    }

    @Test("images without alt, unless declared decorative; alt=\"\" is fine")
    func images() {
        let body = SEOFixture.body + """
            <p><img src="/badge.svg"></p><img role="presentation" src="/x.png"><img aria-hidden="true" src="/y.png">
            <svg><image href="/z.png"/></svg>
            """
        let findings = SEOFixture.findings(SEOFixture.page(body: body))
        #expect(findings.map(\.ruleId) == ["images-missing-alt"])
        #expect(findings.first?.selector == "html > body > p:nth-of-type(2) > img:nth-of-type(1)")
        #expect(findings.first?.html == #"<img src="/badge.svg">"#)
        #expect(findings.first?.severity == .serious && findings.first?.severityRaw == "error")
    }

    @Test("link text: non-descriptive texts by the configured list, with punctuation and case ignored")
    func linkText() {
        let body = SEOFixture.body + """
            <a href="/a">Click here</a> <a href="/b">Read more »</a> <a href="/c" aria-label="Pricing plans">more</a>
            <a href="/d"><img src="/i.png" alt="link"></a> <a href="/e">Read more about serializers</a>
            """
        let findings = SEOFixture.findings(SEOFixture.page(body: body))
        #expect(findings.map(\.message) == [
            #"The link text "Click here" does not say where the link goes."#,
            #"The link text "Read more »" does not say where the link goes."#,
            #"The link text "link" does not say where the link goes."#,
        ])
        var settings = SEOSettings(.init(nonDescriptiveLinkTexts: ["Read more about serializers"]))
        #expect(SEOFixture.rules(SEOFixture.page(body: body), settings: settings) == ["non-descriptive-link-text"])
        settings = SEOSettings(.init(nonDescriptiveLinkTexts: []))
        #expect(SEOFixture.rules(SEOFixture.page(body: body), settings: settings).isEmpty)
    }

    @Test("uncrawlable anchors: no href, href=\"#\", javascript:; named anchors and role=button are not links")
    func uncrawlable() {
        let body = SEOFixture.body + """
            <a rel="nofollow" style="x">Sponsor</a><a href="#">Top</a><a href=" JavaScript:void(0)">Open</a>
            <a name="section"></a><a id="x"></a><a role="button">Menu</a><a href="#fields">Fields</a>
            """
        let findings = SEOFixture.findings(SEOFixture.page(body: body))
        #expect(findings.map(\.ruleId) == ["uncrawlable-link", "uncrawlable-link", "uncrawlable-link"])
        #expect(findings.map(\.html) == [#"<a rel="nofollow" style="x">"#, ##"<a href="#">"##, #"<a href=" JavaScript:void(0)">"#])
    }

    @Test("JSON-LD blocks that do not parse, trailing commas included")
    func jsonLD() {
        let valid = #"<script type="application/ld+json">{"@context": "https://schema.org", "name": "a, ]"}</script>"#
        let broken = #"<script type="application/ld+json">{"@context": "https://schema.org" "@type": "Article"}</script>"#
        let trailing = #"<script type="application/ld+json">[{"@type": "Article", "about": ["x",] }]</script>"#
        let empty = #"<script type="application/ld+json">  </script><script>not json</script>"#
        let findings = SEOFixture.findings(SEOFixture.page(head: SEOFixture.head + valid + broken + trailing + empty))
        #expect(findings.map(\.ruleId) == ["json-ld-parse-error", "json-ld-parse-error", "json-ld-parse-error"])
        #expect(findings.map(\.selector) == [
            "html > head > script:nth-of-type(2)", "html > head > script:nth-of-type(3)", "html > head > script:nth-of-type(4)",
        ])
        #expect(findings[1].message.contains("trailing comma"))
        #expect(findings[2].message.contains("empty"))
    }

    @Test("an HTTP error status is a page finding")
    func status() {
        #expect(SEOFixture.findings(SEOFixture.page(), status: 404).map(\.ruleId) == ["http-status-error"])
    }

    @Test("a stray template fragment: no title, no lang, no h1, no description, no viewport, no canonical")
    func fragment() {
        let findings = SEOFixture.findings("{% extends \"base.html\" %}\n<script>x()</script>\n{% endblock %}")
        #expect(Set(findings.map(\.ruleId)) == [
            "missing-title", "missing-meta-description", "missing-h1", "missing-lang", "missing-viewport", "missing-canonical",
        ])
        #expect(findings.allSatisfy { $0.selector == nil && $0.url == SEOFixture.url })
    }

    @Test("the Link header parser splits links and keeps quoted parameters")
    func linkHeader() {
        let links = LinkHeader.parse(#"<https://a/x?a,b>; rel="canonical", </s.css>; rel="preload stylesheet"; as=style"#)
        #expect(links.map(\.target) == ["https://a/x?a,b", "/s.css"])
        #expect(links.map(\.relations) == [["canonical"], ["preload", "stylesheet"]])
        #expect(links.last?.parameters["as"] == "style")
    }
}
