import Foundation
import StageflowHTTP
import Testing

@testable import StageflowScanner

/// A crawled page made from HTML, as if fetched from `url` with status 200.
func crawledPage(_ url: String, html: String) -> CrawledPage {
    let address = WebAddress(url)!
    let fetch = FetchResult(
        requested: address, hops: [FetchHop(url: address.key, status: 200)], final: address, status: 200,
        headers: ["Content-Type": "text/html"], setCookies: [], body: Data(html.utf8), bodyTruncated: false,
        failure: nil, tlsVerified: true)
    return CrawledPage(url: url, address: address, fetch: fetch, document: HTMLDocument(html: html), isSeed: true, errors: [])
}

/// A link target whose fetch went through `hops` (status pairs) and ended with `failure` or the last status.
func linkTarget(_ hops: [(String, Int)], failure: FetchFailure? = nil, anchors: Set<String>? = nil) -> LinkTarget {
    let final = WebAddress(hops.last?.0 ?? "http://127.0.0.1/")!
    var fetch = FetchResult(
        requested: WebAddress(hops[0].0)!, hops: [], final: final, status: failure == nil ? hops.last?.1 : nil,
        headers: ["Content-Type": "text/html"], setCookies: [], body: nil, bodyTruncated: false, failure: failure,
        tlsVerified: true)
    for (index, hop) in hops.enumerated() {
        let next = index + 1 < hops.count ? hops[index + 1].0 : nil
        fetch.hops.append(FetchHop(url: WebAddress(hop.0)!.key, status: hop.1, location: next))
    }
    return LinkTarget(fetch: fetch, anchors: anchors, method: "GET")
}

@Suite("link-checker decisions")
struct LinkDecisionTests {
    let page = crawledPage(
        "http://127.0.0.1:9/docs/guide/",
        html: """
            <html><head><base href="/docs/"><link rel="stylesheet" href="css/site.css">
            <link rel="preconnect" href="https://fonts.example"><link rel="canonical" href="https://prod.example/docs/guide/">
            <script src="js/app.js"></script></head><body id="top">
            <a href="guide/#install">Install</a><a href="guide/#install">again</a><a href="mailto:x@example.com">m</a>
            <a href="javascript:void(0)">j</a><a href="tel:+1">t</a><a href="data:text/plain,x">d</a><a>no href</a>
            <img src="img/logo.png" srcset="img/logo@2x.png 2x, img/logo@3x.png 3x"><iframe src="embed.html"></iframe>
            <picture><source srcset="img/wide.webp 1200w"></picture><a href="say &quot;hi&quot;.html">q</a>
            </body></html>
            """)

    @Test("references: elements and attributes collected, resolved against <base href>, unfetchable schemes skipped")
    func collection() {
        let references = LinkReference.references(of: page)
        #expect(
            references.map(\.selector) == [
                #"link[href="css/site.css"]"#, #"link[href="https://prod.example/docs/guide/"]"#,
                #"script[src="js/app.js"]"#, #"a[href="guide/#install"]"#, #"img[src="img/logo.png"]"#,
                #"img[srcset*="img/logo@2x.png"]"#, #"img[srcset*="img/logo@3x.png"]"#, #"iframe[src="embed.html"]"#,
                #"source[srcset*="img/wide.webp"]"#, #"a[href="say \"hi\".html"]"#,
            ])
        let install = references.first { $0.element == "a" }!
        #expect(install.target.key == "http://127.0.0.1:9/docs/guide/")
        #expect(install.target.fragment == "install")
        #expect(install.isInternal)
        #expect(install.html == #"<a href="guide/#install">"#)
        #expect(references.filter { !$0.isInternal }.map(\.element) == ["link"])
        #expect(references.first { $0.element == "img" }?.kind == .image)
        #expect(references.first { $0.element == "script" }?.kind == .resource)
    }

    func reference(_ value: String, element: String = "a", isInternal: Bool = true) -> LinkReference {
        let target = WebAddress.resolve(value, against: URL(string: "http://127.0.0.1:9/")!)!
        let kind: LinkReference.Kind = element == "a" ? .link : element == "img" ? .image : .resource
        return LinkReference(
            page: "http://127.0.0.1:9/", element: element, attribute: element == "a" ? "href" : "src", value: value,
            html: "<\(element)>", target: target, kind: kind, isInternal: isInternal)
    }

    @Test("4xx/5xx: broken-link, broken-image or broken-resource; serious inside, moderate outside")
    func broken() {
        let missing = linkTarget([("http://127.0.0.1:9/missing", 404)])
        let link = LinkFindings.findings(for: reference("/missing"), target: missing, reportRedirects: true)
        #expect(link.map(\.ruleId) == ["broken-link"])
        #expect(link[0].severity == .serious && link[0].selector == #"a[href="/missing"]"#)
        #expect(link[0].message.contains("404 Not Found"))
        let image = LinkFindings.findings(for: reference("/missing", element: "img"), target: missing, reportRedirects: true)
        #expect(image.map(\.ruleId) == ["broken-image"])
        let external = LinkFindings.findings(
            for: reference("/missing", element: "script", isInternal: false),
            target: linkTarget([("http://127.0.0.1:9/missing", 503)]), reportRedirects: true)
        #expect(external.map(\.ruleId) == ["broken-resource"] && external[0].severity == .moderate)
    }

    @Test("redirects: the chain is reported; permanent internal ones are minor, others info; off by config")
    func redirects() {
        let permanent = linkTarget([("http://127.0.0.1:9/a", 301), ("http://127.0.0.1:9/a/", 200)])
        let findings = LinkFindings.findings(for: reference("/a"), target: permanent, reportRedirects: true)
        #expect(findings.map(\.ruleId) == ["redirect"])
        #expect(findings[0].severity == .minor)
        #expect(findings[0].message.contains("http://127.0.0.1:9/a → 301 → http://127.0.0.1:9/a/ → 200"))
        let temporary = linkTarget([("http://127.0.0.1:9/a", 302), ("http://127.0.0.1:9/b", 200)])
        #expect(LinkFindings.findings(for: reference("/a"), target: temporary, reportRedirects: true)[0].severity == .info)
        #expect(LinkFindings.findings(for: reference("/a"), target: permanent, reportRedirects: false).isEmpty)
    }

    @Test("failures: timeout, loop, too many redirects, unreachable, blocked")
    func failures() {
        func rule(_ failure: FetchFailure) -> [String] {
            LinkFindings.findings(
                for: reference("/x"), target: linkTarget([("http://127.0.0.1:9/x", 301)], failure: failure),
                reportRedirects: true
            ).map(\.ruleId)
        }
        #expect(rule(FetchFailure(.timeout, "no response")) == ["timeout"])
        #expect(rule(FetchFailure(.redirectLoop, "loop")) == ["redirect-loop"])
        #expect(rule(FetchFailure(.tooManyRedirects, "many")) == ["too-many-redirects"])
        #expect(rule(FetchFailure(.unreachable, "refused")) == ["broken-link"])
        #expect(rule(FetchFailure(.blocked, "private address")) == ["blocked-link"])
    }

    @Test("fragments: checked against ids and names, percent-decoded; #top, empty and text fragments always exist")
    func fragments() {
        let target = linkTarget([("http://127.0.0.1:9/p", 200)], anchors: ["intro", "café"])
        func rules(_ value: String) -> [String] {
            LinkFindings.findings(for: reference(value), target: target, reportRedirects: true).map(\.ruleId)
        }
        #expect(rules("/p#intro").isEmpty)
        #expect(rules("/p#caf%C3%A9").isEmpty)
        #expect(rules("/p#TOP").isEmpty)
        #expect(rules("/p#").isEmpty)
        #expect(rules("/p#:~:text=hello").isEmpty)
        #expect(rules("/p#missing") == ["missing-anchor"])
        let notChecked = linkTarget([("http://127.0.0.1:9/p", 200)], anchors: nil)
        #expect(LinkFindings.findings(for: reference("/p#missing"), target: notChecked, reportRedirects: true).isEmpty)
    }

    @Test("HEAD answers that need a GET to confirm")
    func headFallback() {
        #expect(LinkTargetChecker.needsGETFallback(linkTarget([("http://127.0.0.1:9/x", 405)]).fetch))
        #expect(LinkTargetChecker.needsGETFallback(linkTarget([("http://127.0.0.1:9/x", 404)]).fetch))
        #expect(!LinkTargetChecker.needsGETFallback(linkTarget([("http://127.0.0.1:9/x", 200)]).fetch))
        #expect(!LinkTargetChecker.needsGETFallback(linkTarget([("http://127.0.0.1:9/x", 200)], failure: FetchFailure(.timeout, "t")).fetch))
        #expect(LinkTargetChecker.needsGETFallback(linkTarget([("http://127.0.0.1:9/x", 200)], failure: FetchFailure(.transfer, "reset")).fetch))
    }
}
