import Testing

@testable import StageflowScanner

@Suite("visible text")
struct VisibleTextTests {
    static func texts(_ html: String) -> [String] {
        VisibleText(html: html).runs.map(\.text)
    }

    @Test("text of code, scripts, styles, embedded documents and hidden elements is skipped; attributes never count")
    func skipped() {
        let html = """
            <!doctype html><html lang="en-GB"><head><title>Hello page</title><meta name="description" content="Metaword">
            <style>.x { color: red }</style><script>var speling = 1;</script></head>
            <body><p title="Attrword">Shown <code>hiddencode</code> text</p>
            <pre>prefmt</pre><kbd>kbdword</kbd><samp>sampword</samp><var>varword</var>
            <textarea>typed</textarea><template><p>templ</p></template><noscript>noscr</noscript>
            <svg><text>svgtext</text><circle/></svg><math><mi>mathword</mi></math>
            <div hidden><p>hiddenword</p></div><span aria-hidden="true">ariaword</span>
            <div style="display: none">displayword</div><div aria-hidden="false">visible</div>
            <img alt="altword" src="x.png"><p>After</p></body></html>
            """
        let text = VisibleText(html: html)
        #expect(text.language == "en-GB")
        let words = text.runs.map(\.text).joined(separator: " ")
        for hidden in [
            "Metaword", "speling", "color", "Attrword", "hiddencode", "prefmt", "kbdword", "sampword", "varword", "typed",
            "templ", "noscr", "svgtext", "mathword", "hiddenword", "ariaword", "displayword", "altword",
        ] {
            #expect(!words.contains(hidden), "\(hidden) should not be visible")
        }
        #expect(text.runs.map(\.text) == ["Hello page", "Shown ", " text", "visible", "After"])
    }

    @Test("each run names its element: #id, else a tag:nth-of-type path from the nearest ancestor with an id")
    func selectors() {
        let html = """
            <html><body><main id="content"><p>One</p><p>Two <b>bold</b></p><section><p>Three</p></section></main>
            <footer><p>Four</p><p id="2nd">Five</p></footer></body></html>
            """
        let runs = VisibleText(html: html).runs
        #expect(
            runs.map(\.selector) == [
                "#content > p:nth-of-type(1)", "#content > p:nth-of-type(2)", "#content > p:nth-of-type(2) > b:nth-of-type(1)",
                "#content > section:nth-of-type(1) > p:nth-of-type(1)", "html > body > footer:nth-of-type(1) > p:nth-of-type(1)",
                "[id=\"2nd\"]",
            ])
        #expect(runs[0].startTag == "<p>")
        #expect(VisibleText(html: "loose text").runs.map(\.selector) == ["body"])
    }

    @Test("implied end tags keep siblings siblings (<p>a<p>b, <li>a<li>b), and a missing </head> ends at <body>")
    func impliedEnds() {
        let html = "<html><head><title>T</title><body><p>a<p>b<ul><li>c<li>d</ul><div><p>e<div>f</div></div>"
        let runs = VisibleText(html: html).runs
        #expect(runs.map(\.text) == ["T", "a", "b", "c", "d", "e", "f"])
        #expect(
            runs.map(\.selector) == [
                "html > head > title", "html > body > p:nth-of-type(1)", "html > body > p:nth-of-type(2)",
                "html > body > ul:nth-of-type(1) > li:nth-of-type(1)", "html > body > ul:nth-of-type(1) > li:nth-of-type(2)",
                "html > body > div:nth-of-type(1) > p:nth-of-type(1)", "html > body > div:nth-of-type(1) > div:nth-of-type(1)",
            ])
    }

    @Test("text split only by inline formatting continues the previous run; block boundaries and spaces break it")
    func continuation() {
        let runs = VisibleText(html: "<p>W<b>or</b>d and <em>more</em></p><p>next</p><p>a<br>b</p>").runs
        #expect(runs.map(\.text) == ["W", "or", "d and ", "more", "next", "a", "b"])
        #expect(runs.map(\.continuesPrevious) == [false, true, true, true, false, false, false])
    }

    @Test("references are decoded, and a page without <html lang> has no language")
    func decoding() {
        let text = VisibleText(html: "<p>caf&eacute; &amp; cr&#232;me</p>")
        #expect(text.runs.map(\.text) == ["café & crème"])
        #expect(text.language == nil)
    }
}
