/// The prose a reader sees on a page, read from its markup: the text nodes outside elements whose content is
/// not prose (`script`, `style`, `code`, `pre`, `kbd`, `samp`, `var`, `textarea`, `template`, `noscript`,
/// `svg`, `math`, `iframe` fallback, …) and outside hidden elements (`hidden`, `aria-hidden="true"`, an inline
/// `display: none` or `visibility: hidden`). Attribute values never count. The document's `<title>` counts:
/// it is shown in tabs and search results.
///
/// Each run of text keeps the element it belongs to, as a simple stable CSS selector, so that a finding can
/// point at it. Text split only by inline formatting (`W<b>or</b>d`) is marked as continuing the previous run,
/// so that words are not cut at element boundaries.
public struct VisibleText: Sendable {
    /// One text node of the page.
    public struct Run: Sendable, Hashable {
        /// The text, character references decoded.
        public var text: String
        /// The element the text is in: `#id` when it has an id, else a `tag:nth-of-type(n)` path from the
        /// nearest ancestor with an id (or from the root).
        public var selector: String
        /// The element's start tag as written in the page (shortened), for the finding's HTML snippet.
        public var startTag: String
        /// Whether only inline formatting separates this run from the previous one, so that a word may
        /// continue across them.
        public var continuesPrevious: Bool

        /// A run.
        public init(text: String, selector: String, startTag: String = "", continuesPrevious: Bool = false) {
            self.text = text
            self.selector = selector
            self.startTag = startTag
            self.continuesPrevious = continuesPrevious
        }
    }

    /// The visible text, in document order.
    public let runs: [Run]
    /// The `lang` attribute of the `<html>` element, when it has a non-empty one.
    public let language: String?

    /// Elements whose content is not prose.
    static let skippedElements: Set<String> = [
        "script", "style", "code", "pre", "kbd", "samp", "var", "textarea", "template", "noscript", "svg", "math",
        "iframe", "xmp", "noembed", "noframes", "object",
    ]

    /// Elements without content (and without an end tag).
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// Formatting elements that can split a word without separating it (`<b>W</b>ord`).
    static let inlineElements: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "font", "i", "ins", "mark", "q", "s",
        "small", "span", "strong", "sub", "sup", "time", "u",
    ]

    /// Start tags that close an open `<p>` (HTML's implied end tags, reduced to the common cases).
    static let closesParagraph: Set<String> = [
        "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
        "section", "table", "ul",
    ]

    /// Reads the visible text of a page.
    public init(html: String) {
        var builder = Builder()
        for token in HTMLTokenizer(html) { builder.consume(token) }
        runs = builder.runs
        language = builder.language
    }

    /// Whether a start tag hides its content from readers.
    static func hides(_ tag: HTMLTag) -> Bool {
        if tag.has("hidden") { return true }
        if tag.attribute("aria-hidden")?.trimmingCharacters(in: .whitespaces).lowercased() == "true" { return true }
        if let style = tag.attribute("style") {
            let compact = style.lowercased().filter { !$0.isWhitespace }
            if compact.contains("display:none") || compact.contains("visibility:hidden") { return true }
        }
        return false
    }

    /// A CSS selector naming an element by id: `#id` for a plain identifier, `[id="…"]` otherwise.
    static func idSelector(_ id: String) -> String {
        let scalars = Array(id.unicodeScalars)
        let plain = scalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
        }
        let startsBadly =
            scalars.first.map { ("0"..."9").contains($0) } == true
            || (scalars.first == "-" && (scalars.count == 1 || ("0"..."9").contains(scalars[1]) || scalars[1] == "-"))
        if plain, !startsBadly { return "#" + id }
        let escaped = id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "[id=\"\(escaped)\"]"
    }
}

extension VisibleText {
    /// The open elements while reading, and the runs read so far.
    private struct Builder {
        struct Element {
            var name: String
            var id: String?
            var ordinal: Int
            var startTag: String
            var childCounts: [String: Int] = [:]
        }

        var stack: [Element] = []
        var rootCounts: [String: Int] = [:]
        /// Depth in `stack` at which skipped or hidden content began.
        var skippedFrom: Int?
        var runs: [Run] = []
        var language: String?
        /// Whether only inline tags have been seen since the last run.
        var joinable = false
        var foreignDepth = 0

        mutating func consume(_ token: HTMLToken) {
            switch token {
            case .startTag(let tag): start(tag)
            case .endTag(let name): end(name)
            case .text(let text): append(text)
            case .comment: break
            }
        }

        mutating func start(_ tag: HTMLTag) {
            if tag.name == "html", language == nil, let lang = tag.attribute("lang")?.trimmingCharacters(in: .whitespaces),
                !lang.isEmpty
            {
                language = lang
            }
            if !VisibleText.inlineElements.contains(tag.name) { joinable = false }
            if VisibleText.voidElements.contains(tag.name) { return }
            // Inside svg and math a self-closing tag has no content; elsewhere HTML ignores the slash.
            if tag.selfClosing && (foreignDepth > 0 || tag.name == "svg" || tag.name == "math") { return }
            closeImplied(by: tag.name)
            let ordinal: Int
            if stack.isEmpty {
                ordinal = (rootCounts[tag.name] ?? 0) + 1
                rootCounts[tag.name] = ordinal
            } else {
                ordinal = (stack[stack.count - 1].childCounts[tag.name] ?? 0) + 1
                stack[stack.count - 1].childCounts[tag.name] = ordinal
            }
            let id = tag.attribute("id").flatMap { $0.isEmpty ? nil : $0 }
            stack.append(Element(name: tag.name, id: id, ordinal: ordinal, startTag: Self.shortened(tag.source)))
            if tag.name == "svg" || tag.name == "math" { foreignDepth += 1 }
            if skippedFrom == nil, VisibleText.skippedElements.contains(tag.name) || VisibleText.hides(tag) {
                skippedFrom = stack.count - 1
            }
        }

        mutating func end(_ name: String) {
            if !VisibleText.inlineElements.contains(name) { joinable = false }
            guard let index = stack.lastIndex(where: { $0.name == name }) else { return }
            for element in stack[index...] where element.name == "svg" || element.name == "math" { foreignDepth -= 1 }
            stack.removeSubrange(index...)
            if let from = skippedFrom, from >= stack.count { skippedFrom = nil }
        }

        mutating func append(_ text: String) {
            guard skippedFrom == nil else { return }
            // In the head only the title is shown.
            if stack.contains(where: { $0.name == "head" }), stack.last?.name != "title" { return }
            guard !text.allSatisfy(\.isWhitespace) else {
                joinable = false
                return
            }
            runs.append(
                Run(text: text, selector: selector(), startTag: stack.last?.startTag ?? "", continuesPrevious: joinable))
            joinable = true
        }

        /// Pops elements that a new start tag implicitly ends (`<p>a<p>b`, `<li>a<li>b`).
        mutating func closeImplied(by name: String) {
            func popTo(_ names: Set<String>, stoppingAt boundaries: Set<String>) {
                guard let index = stack.lastIndex(where: { names.contains($0.name) || boundaries.contains($0.name) }),
                    names.contains(stack[index].name)
                else { return }
                end(stack[index].name)
            }
            if VisibleText.closesParagraph.contains(name) {
                popTo(["p"], stoppingAt: ["button", "td", "th", "table", "caption", "html", "template", "object"])
            }
            switch name {
            case "body": popTo(["head"], stoppingAt: ["html"])
            case "li": popTo(["li"], stoppingAt: ["ul", "ol", "menu"])
            case "dt", "dd": popTo(["dt", "dd"], stoppingAt: ["dl"])
            case "tr": popTo(["tr"], stoppingAt: ["table", "thead", "tbody", "tfoot"])
            case "td", "th": popTo(["td", "th"], stoppingAt: ["tr", "table"])
            case "option": popTo(["option"], stoppingAt: ["select", "datalist", "optgroup"])
            default: break
            }
        }

        /// The selector of the innermost open element.
        func selector() -> String {
            var parts: [String] = []
            for element in stack.reversed() {
                if let id = element.id {
                    parts.append(VisibleText.idSelector(id))
                    break
                }
                switch element.name {
                case "html", "head", "body", "title": parts.append(element.name)
                default: parts.append("\(element.name):nth-of-type(\(element.ordinal))")
                }
            }
            return parts.isEmpty ? "body" : parts.reversed().joined(separator: " > ")
        }

        static func shortened(_ source: String) -> String {
            source.count <= 200 ? source : String(source.prefix(199)) + "…"
        }
    }
}
