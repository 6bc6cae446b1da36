/// A page as a tree of elements, for checks that need more than the start tags of `HTMLDocument`: the text of
/// an element (a heading, a link, a `<script>` body), what contains what, and a selector that names one
/// element. Built by `HTMLTreeBuilder` from `HTMLTokenizer`'s tokens with the parts of the WHATWG tree
/// construction that decide nesting on real pages: void elements, implied `html`/`head`/`body`, and the
/// implied end tags of `p`, `li`, `dt`/`dd`, table rows and cells, `option` and headings.
public struct HTMLElementTree: Sendable {
    /// Every element in document order; `elements[0]` is the root `html` (implied when the page has none).
    public let elements: [HTMLElement]
    /// Element indexes by tag name, in document order.
    private let byName: [String: [Int]]
    /// How many elements carry each `id`.
    private let idCounts: [String: Int]

    /// Parses a page given as text.
    public init(html: String) {
        var builder = HTMLTreeBuilder()
        for token in HTMLTokenizer(html) { builder.consume(token) }
        self.init(elements: builder.finish())
    }

    init(elements: [HTMLElement]) {
        self.elements = elements
        var byName: [String: [Int]] = [:]
        var idCounts: [String: Int] = [:]
        for element in elements {
            byName[element.name, default: []].append(element.index)
            if let id = element.attribute("id"), !id.isEmpty { idCounts[id, default: 0] += 1 }
        }
        self.byName = byName
        self.idCounts = idCounts
    }

    /// The root element (`html`).
    public var root: HTMLElement { elements[0] }

    /// The element at `index`.
    public subscript(index: Int) -> HTMLElement { elements[index] }

    /// The elements with one tag name (lowercase), in document order.
    public func elements(named name: String) -> [HTMLElement] {
        (byName[name] ?? []).map { elements[$0] }
    }

    /// The first element with this tag name, if any.
    public func first(named name: String) -> HTMLElement? {
        byName[name]?.first.map { elements[$0] }
    }

    /// Whether exactly one element carries this `id`.
    public func isUniqueID(_ id: String) -> Bool {
        idCounts[id] == 1
    }

    /// The ancestors of an element, nearest first.
    public func ancestors(of element: HTMLElement) -> [HTMLElement] {
        var result: [HTMLElement] = []
        var current = element.parent
        while let index = current {
            result.append(elements[index])
            current = elements[index].parent
        }
        return result
    }

    /// Whether `element` is inside an element with one of these names.
    public func isInside(_ element: HTMLElement, anyOf names: Set<String>) -> Bool {
        ancestors(of: element).contains { names.contains($0.name) }
    }

    /// All text inside the element, as written (`textContent`).
    public func rawText(of element: HTMLElement) -> String {
        var text = ""
        appendText(of: element, to: &text, skipping: [])
        return text
    }

    /// The element's readable text with whitespace collapsed and trimmed: the text of its descendants except
    /// `script`, `style`, `template` and `noscript`, with an `img`'s `alt` standing in for the image.
    public func text(of element: HTMLElement) -> String {
        var text = ""
        appendText(of: element, to: &text, skipping: Self.unreadElements, withImageAlternatives: true)
        return HTMLDocument.collapsingWhitespace(text)
    }

    /// Elements whose content a reader never sees as text.
    static let unreadElements: Set<String> = ["script", "style", "template", "noscript"]

    /// Appends the text below `element` in document order; iterative, so that a page of thousands of unclosed
    /// elements cannot exhaust a task's stack.
    private func appendText(
        of element: HTMLElement, to text: inout String, skipping: Set<String>, withImageAlternatives: Bool = false
    ) {
        var pending: [HTMLNode] = [.element(element.index)]
        while let node = pending.popLast() {
            switch node {
            case .text(let run):
                text += run
            case .element(let index):
                let current = elements[index]
                if index != element.index, skipping.contains(current.name) { continue }
                if withImageAlternatives, current.name == "img", let alt = current.attribute("alt") {
                    text += " \(alt) "
                    continue
                }
                pending.append(contentsOf: current.content.reversed())
            }
        }
    }
}
