/// Builds an `HTMLElementTree` from tokens: a stack of open elements with the WHATWG rules that matter for
/// where elements end up on real pages. Void elements never open; `html`, `head` and `body` are implied where
/// a page leaves them out (head-only elements before the body go into `head`, anything else opens `body`);
/// a start tag closes the elements it cannot nest in (`p` before a block, `li` before `li`, cells before
/// cells and rows, `option` before `option`, a heading directly in a heading, `a` in `a`); an end tag closes
/// up to the nearest open element of its name and is ignored when there is none; inside `svg` and `math`,
/// `<x/>` is an empty element.
struct HTMLTreeBuilder {
    private var elements: [HTMLElement] = []
    private var stack: [Int] = []
    private var head: Int?
    private var body: Int?
    /// Open `svg`/`math` elements (foreign content, where `/>` closes).
    private var foreignDepth = 0

    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "param", "keygen", "frame", "basefont", "bgsound",
    ]
    /// Elements that belong in `head` when they come before the body.
    static let headElements: Set<String> = [
        "base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style", "template", "title",
    ]
    /// Start tags that close an open `p` (in button scope).
    static let closesParagraph: Set<String> = [
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "dd", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre", "search", "section", "summary",
        "table", "ul", "xmp",
    ]
    static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    /// Elements a search for an open element to close never crosses.
    static let scopeBoundaries: Set<String> = [
        "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math",
    ]
    /// Elements that end the search for an open `li`, `dd` or `dt` (the "special" elements other than
    /// `address`, `div` and `p`).
    static let listItemBoundaries: Set<String> = scopeBoundaries.union([
        "ol", "ul", "dl", "menu", "body", "button", "article", "aside", "blockquote", "details", "dialog", "fieldset",
        "figure", "footer", "form", "header", "main", "nav", "section", "select", "tr", "tbody", "thead", "tfoot",
    ])

    /// Elements a search for an open table part never crosses.
    static let tableBoundaries: Set<String> = ["table", "html", "template"]

    init() {}

    mutating func consume(_ token: HTMLToken) {
        switch token {
        case .startTag(let tag):
            start(tag)
        case .endTag(let name):
            end(name)
        case .text(let text):
            appendText(text)
        case .comment:
            break
        }
    }

    /// The elements, every open one closed.
    mutating func finish() -> [HTMLElement] {
        if elements.isEmpty { openRoot(HTMLTag(name: "html")) }
        return elements
    }

    // MARK: - Start tags

    private mutating func start(_ tag: HTMLTag) {
        switch tag.name {
        case "html":
            if elements.isEmpty { openRoot(tag) }
            return
        case "head":
            if elements.isEmpty { openRoot(HTMLTag(name: "html")) }
            if head == nil, body == nil {
                head = open(tag, in: 0)
                stack = [0, head!]
            }
            return
        case "body":
            if body == nil { openBody(tag) }
            return
        default:
            break
        }
        if foreignDepth == 0 { placeBeforeBody(tag.name) }
        if foreignDepth == 0 { closeImplied(before: tag.name) }
        let parent = stack.last ?? 0
        let index = open(tag, in: parent)
        let isForeign = tag.name == "svg" || tag.name == "math"
        if Self.voidElements.contains(tag.name) && foreignDepth == 0 { return }
        if tag.selfClosing && (foreignDepth > 0 || isForeign) { return }
        stack.append(index)
        if isForeign { foreignDepth += 1 }
    }

    /// Implies `html`, `head` and `body` for an element that comes before the page's body.
    private mutating func placeBeforeBody(_ name: String) {
        if elements.isEmpty { openRoot(HTMLTag(name: "html")) }
        guard body == nil else { return }
        if Self.headElements.contains(name) {
            if head == nil {
                head = open(HTMLTag(name: "head"), in: 0)
                stack = [0, head!]
            } else if !stack.contains(head!) {
                // After </head>: the element still goes into head, as browsers do.
                stack = [0, head!]
            }
        } else {
            openBody(HTMLTag(name: "body"))
        }
    }

    private mutating func openRoot(_ tag: HTMLTag) {
        let index = open(tag, in: nil)
        stack = [index]
    }

    private mutating func openBody(_ tag: HTMLTag) {
        if elements.isEmpty { openRoot(HTMLTag(name: "html")) }
        if head == nil { head = open(HTMLTag(name: "head"), in: 0) }
        body = open(tag, in: 0)
        stack = [0, body!]
        foreignDepth = 0
    }

    /// Closes the open elements a start tag of `name` cannot nest in.
    private mutating func closeImplied(before name: String) {
        if Self.closesParagraph.contains(name) { closeIfOpen("p", boundaries: Self.scopeBoundaries.union(["button"])) }
        switch name {
        case "li":
            closeIfOpen("li", boundaries: Self.listItemBoundaries)
        case "dd", "dt":
            closeIfOpen(anyOf: ["dd", "dt"], boundaries: Self.listItemBoundaries)
        case "h1", "h2", "h3", "h4", "h5", "h6":
            if let top = stack.last, Self.headings.contains(elements[top].name) { stack.removeLast() }
        case "a":
            closeIfOpen("a", boundaries: Self.scopeBoundaries)
        case "button":
            closeIfOpen("button", boundaries: Self.scopeBoundaries)
        case "option":
            if let top = stack.last, elements[top].name == "option" { stack.removeLast() }
        case "optgroup":
            if let top = stack.last, elements[top].name == "option" { stack.removeLast() }
            if let top = stack.last, elements[top].name == "optgroup" { stack.removeLast() }
        case "td", "th":
            closeIfOpen(anyOf: ["td", "th"], boundaries: Self.tableBoundaries.union(["tr"]))
        case "tr":
            closeIfOpen(anyOf: ["td", "th"], boundaries: Self.tableBoundaries.union(["tr"]))
            closeIfOpen("tr", boundaries: Self.tableBoundaries.union(["tbody", "thead", "tfoot"]))
        case "tbody", "thead", "tfoot", "caption", "colgroup":
            closeIfOpen(anyOf: ["td", "th"], boundaries: Self.tableBoundaries.union(["tr"]))
            closeIfOpen("tr", boundaries: Self.tableBoundaries.union(["tbody", "thead", "tfoot"]))
            closeIfOpen(anyOf: ["tbody", "thead", "tfoot", "caption", "colgroup"], boundaries: Self.tableBoundaries)
        default:
            break
        }
    }

    private mutating func closeIfOpen(_ name: String, boundaries: Set<String>) {
        closeIfOpen(anyOf: [name], boundaries: boundaries)
    }

    /// Pops up to and including the nearest open element named in `names`, unless a boundary comes first.
    private mutating func closeIfOpen(anyOf names: Set<String>, boundaries: Set<String>) {
        for position in stack.indices.reversed() {
            let name = elements[stack[position]].name
            if names.contains(name) {
                pop(to: position)
                return
            }
            if boundaries.contains(name) || name == "body" { return }
        }
    }

    // MARK: - End tags and text

    private mutating func end(_ name: String) {
        switch name {
        case "html", "body":
            return
        case "head":
            if let head, stack.last == head { stack.removeLast() }
            return
        default:
            break
        }
        // Any heading's end tag closes the open heading, as browsers do.
        let matches: Set<String> = Self.headings.contains(name) ? Self.headings : [name]
        for position in stack.indices.reversed() where position > 0 {
            let open = elements[stack[position]].name
            if matches.contains(open) {
                pop(to: position)
                return
            }
            if open == "body" || open == "head" { return }
            // A table element's end tag closes nothing outside its table.
            if open == "table", name != "table" { return }
        }
    }

    private mutating func pop(to position: Int) {
        for index in stack[position...] where ["svg", "math"].contains(elements[index].name) {
            foreignDepth = max(0, foreignDepth - 1)
        }
        stack.removeSubrange(position...)
    }

    private mutating func appendText(_ text: String) {
        if body == nil {
            let isBlank = text.allSatisfy { $0.isWhitespace }
            if isBlank {
                guard let top = stack.last, top != 0, top != head else { return }
            } else if let top = stack.last, top != 0, top != head {
                // Text inside a head element (title, script, style).
            } else {
                openBody(HTMLTag(name: "body"))
            }
        }
        let parent = stack.last ?? 0
        if case .text(let previous) = elements[parent].content.last {
            elements[parent].content[elements[parent].content.count - 1] = .text(previous + text)
        } else {
            elements[parent].content.append(.text(text))
        }
    }

    // MARK: - Elements

    /// Adds an element under `parent` and returns its index.
    private mutating func open(_ tag: HTMLTag, in parent: Int?) -> Int {
        let index = elements.count
        elements.append(HTMLElement(index: index, tag: tag, parent: parent))
        if let parent { elements[parent].content.append(.element(index)) }
        return index
    }
}
