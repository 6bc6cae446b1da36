import Testing

@testable import StageflowScanner

@Suite("HTMLElementTree")
struct HTMLElementTreeTests {
    /// The tree as nested names: `html(head(title) body(p p))`.
    static func outline(_ tree: HTMLElementTree, _ element: HTMLElement? = nil) -> String {
        let element = element ?? tree.root
        let children = element.children.map { outline(tree, tree[$0]) }
        return children.isEmpty ? element.name : "\(element.name)(\(children.joined(separator: " ")))"
    }

    @Test("implies html, head and body, putting head elements in head and the rest in body")
    func impliedStructure() {
        let tree = HTMLElementTree(html: "<meta charset=utf-8><title>T</title><p>Hello<img src=a.png><p>World")
        #expect(Self.outline(tree) == "html(head(meta title) body(p(img) p))")
        #expect(tree.root.isImplied)
        #expect(tree.text(of: tree.elements(named: "title")[0]) == "T")
    }

    @Test("keeps a written document's structure; void elements never contain anything")
    func writtenStructure() {
        let tree = HTMLElementTree(html: """
            <!doctype html><html lang="en"><head><link rel=canonical href="/x"><meta name=a content=b></head>
            <body><div id="main"><br><input type=text><span>a</span></div></body></html>
            """)
        #expect(Self.outline(tree) == "html(head(link meta) body(div(br input span)))")
        #expect(tree.root.attribute("lang") == "en")
        #expect(!tree.root.isImplied)
    }

    @Test("implied end tags: p before blocks, li before li, cells and rows, option, dt/dd, headings")
    func impliedEndTags() {
        #expect(Self.outline(HTMLElementTree(html: "<body><p>a<div>b</div><p>c<ul><li>x<li>y</ul>")) ==
            "html(head body(p div p ul(li li)))")
        #expect(Self.outline(HTMLElementTree(html: "<body><table><tr><td>1<td>2<tr><th>3</table>")) ==
            "html(head body(table(tr(td td) tr(th))))")
        #expect(Self.outline(HTMLElementTree(html: "<body><select><option>a<option>b<optgroup><option>c</select>")) ==
            "html(head body(select(option option optgroup(option))))")
        #expect(Self.outline(HTMLElementTree(html: "<body><dl><dt>a<dd>b<dt>c<dd>d</dl>")) ==
            "html(head body(dl(dt dd dt dd)))")
        #expect(Self.outline(HTMLElementTree(html: "<body><h2>a<h3>b</h3>")) == "html(head body(h2 h3))")
        #expect(Self.outline(HTMLElementTree(html: "<body><ul><li>a<ul><li>b</ul><li>c</ul>")) ==
            "html(head body(ul(li(ul(li)) li)))")
    }

    @Test("stray end tags are ignored; an end tag closes what is open inside it")
    func endTags() {
        let tree = HTMLElementTree(html: "<body><div><span><b>x</div></i><p>after</p>")
        #expect(Self.outline(tree) == "html(head body(div(span(b)) p))")
    }

    @Test("self-closing tags inside svg are empty elements")
    func foreignContent() {
        let tree = HTMLElementTree(html: #"<body><a href="/"><svg><path d="M0"/><path d="M1"/></svg>Home</a><p>x"#)
        #expect(Self.outline(tree) == "html(head body(a(svg(path path)) p))")
        #expect(tree.text(of: tree.elements(named: "a")[0]) == "Home")
    }

    @Test("text: script and style left out, image alternatives included, whitespace collapsed")
    func text() {
        let tree = HTMLElementTree(html: """
            <body><a href=x>  Read <script>var a = 1</script><style>a{}</style>the <img alt="serializer"> guide &amp; more </a>
            <script type="application/ld+json">{"a": 1}</script>
            """)
        #expect(tree.text(of: tree.elements(named: "a")[0]) == "Read the serializer guide & more")
        #expect(tree.rawText(of: tree.elements(named: "script")[1]) == #"{"a": 1}"#)
    }

    @Test("selectors: a unique id, else an nth-of-type path from the nearest unique id or from html")
    func selectors() {
        let tree = HTMLElementTree(html: """
            <html><body><div id="nav"><ul><li>a</li><li><a href=x>b</a></li></ul></div>
            <div class="x"><p>1</p><span></span><p>2 <img src=i.png></p></div>
            <img id="dup"><img id="dup"><h2 id="3.0-announcement">T</h2></body></html>
            """)
        let images = tree.elements(named: "img")
        #expect(tree.selector(for: tree.elements(named: "a")[0]) == "#nav > ul:nth-of-type(1) > li:nth-of-type(2) > a:nth-of-type(1)")
        #expect(tree.selector(for: images[0]) == "html > body > div:nth-of-type(2) > p:nth-of-type(2) > img:nth-of-type(1)")
        #expect(tree.selector(for: images[2]) == "html > body > img:nth-of-type(2)")
        #expect(tree.selector(for: tree.elements(named: "div")[0]) == "#nav")
        #expect(tree.selector(for: tree.elements(named: "h2")[0]) == #"#\33 \.0-announcement"#)
        #expect(tree.selector(for: tree.root) == "html")
    }

    @Test("thousands of unclosed elements neither break the tree nor exhaust the stack")
    func deepNesting() {
        let tree = HTMLElementTree(html: "<body><h2>" + String(repeating: "<span>", count: 20_000) + "deep</h2><p>after")
        #expect(tree.text(of: tree.elements(named: "h2")[0]) == "deep")
        #expect(tree.elements(named: "p").first?.parent == tree.elements(named: "body").first?.index)
        let deepest = tree.elements(named: "span").last!
        #expect(tree.ancestors(of: deepest).count == 20_002)
        #expect(tree.selector(for: deepest).hasSuffix("> span:nth-of-type(1) > span:nth-of-type(1)"))
    }

    @Test("CSS escaping follows CSS.escape")
    func escaping() {
        #expect(HTMLElementTree.cssEscape("main") == "main")
        #expect(HTMLElementTree.cssEscape("1a") == #"\31 a"#)
        #expect(HTMLElementTree.cssEscape("-1") == #"-\31 "#)
        #expect(HTMLElementTree.cssEscape("-") == #"\-"#)
        #expect(HTMLElementTree.cssEscape("a.b:c") == #"a\.b\:c"#)
        #expect(HTMLElementTree.cssEscape("héllo_1") == "héllo_1")
    }

    @Test("snippets are the start tag as written, shortened")
    func snippets() {
        let tree = HTMLElementTree(html: "<body><img src=\"\(String(repeating: "a", count: 400))\"><p>x")
        let snippet = tree.snippet(of: tree.elements(named: "img")[0])
        #expect(snippet.count == 250 && snippet.hasPrefix("<img src=\"aaa") && snippet.hasSuffix("…"))
        #expect(tree.snippet(of: tree.elements(named: "body")[0]) == "<body>")
    }
}
