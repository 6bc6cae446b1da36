import Testing

@testable import StageflowScanner

@Suite("HTML tokenizer and document")
struct HTMLTokenizerTests {
    @Test("attributes: quoted, unquoted, bare, repeated (first wins), names lowercased, entities decoded")
    func attributes() throws {
        let document = HTMLDocument(
            html: #"<A HREF="/a?x=1&amp;y=2" Class=big data-x='q"q' async id=one id=two title=&quot;t&quot;>"#)
        let tag = try #require(document.tags.first)
        #expect(tag.name == "a")
        #expect(tag.attribute("href") == "/a?x=1&y=2")
        #expect(tag.attribute("class") == "big")
        #expect(tag.attribute("data-x") == #"q"q"#)
        #expect(tag.attribute("async") == "")
        #expect(tag.attribute("id") == "one")
        #expect(tag.attribute("title") == "\"t\"")
        #expect(tag.source.hasPrefix("<A HREF="))
    }

    @Test("character references: numeric, hex, Windows-1252, the attribute rule for names without ';'")
    func references() {
        #expect(HTMLEntities.decode(ArraySlice("a&#39;b&#x2F;c&#150;".utf8), inAttribute: false) == "a'b/c\u{2013}")
        #expect(HTMLEntities.decode(ArraySlice("?a=1&copy=2&lang=en".utf8), inAttribute: true) == "?a=1&copy=2&lang=en")
        #expect(HTMLEntities.decode(ArraySlice("&copy 2024 &amp;&unknown;".utf8), inAttribute: false) == "\u{A9} 2024 &&unknown;")
        #expect(HTMLEntities.decode(ArraySlice("&#0;&#x110000;".utf8), inAttribute: false) == "\u{FFFD}\u{FFFD}")
    }

    @Test("script and style contents are text, not markup; comments hide tags")
    func rawText() {
        let document = HTMLDocument(html: """
            <script>var s = '<a href="/not-a-link">';</script><style>a > b { }</style>
            <!-- <img src="/commented.png"> --><a href="/real">x</a><textarea><a href="/no"></textarea>
            """)
        #expect(document.elements("a").map { $0.attribute("href") } == ["/real"])
        #expect(document.elements("img").isEmpty)
    }

    @Test("title, base href, anchors (ids and a[name]), meta")
    func documentSummary() {
        let document = HTMLDocument(html: """
            <html><head><title> Hello &amp;
              world </title><base href="/docs/"><meta name="Referrer" content="no-referrer">
            <meta http-equiv=" Content-Security-Policy " content="default-src 'none'"></head>
            <body><h2 id="intro">x</h2><a name="legacy"></a><div name="not-an-anchor"></div></body></html>
            """)
        #expect(document.title == "Hello & world")
        #expect(document.baseHref == "/docs/")
        #expect(document.anchors == ["intro", "legacy"])
        #expect(document.metaContent(named: "referrer") == "no-referrer")
        #expect(document.httpEquivalents.map(\.name) == ["content-security-policy"])
    }

    @Test("malformed markup does not stop the tokenizer")
    func tolerance() {
        let document = HTMLDocument(html: "<p <a href=/x>text</p><a href='/y' <img src=/z.png>< notatag <a href=/w")
        #expect(document.elements("a").compactMap { $0.attribute("href") } == ["/y", "/w"])
    }
}
