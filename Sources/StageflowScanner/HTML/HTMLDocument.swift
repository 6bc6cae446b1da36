import Foundation

/// What scanners read from a page: every start tag in order, the title, the `<base href>`, and the fragment
/// targets (element ids and `<a name>`), gathered in one pass of `HTMLTokenizer`.
public struct HTMLDocument: Sendable {
    /// Every start tag, in document order.
    public let tags: [HTMLTag]
    /// The text of the first `<title>`, whitespace collapsed; `nil` when the page has none.
    public let title: String?
    /// The `href` of the first `<base>` that has one.
    public let baseHref: String?
    /// The names a URL fragment can point at: every `id`, and the `name` of every `<a>`.
    public let anchors: Set<String>

    /// Parses a page given as text.
    public init(html: String) {
        self.init(tokens: HTMLTokenizer(html))
    }

    /// Parses a page given as bytes (read as UTF-8).
    public init(data: Data) {
        self.init(tokens: HTMLTokenizer(bytes: Array(data)))
    }

    private init(tokens: HTMLTokenizer) {
        var tags: [HTMLTag] = []
        var anchors = Set<String>()
        var baseHref: String?
        var title: String?
        var inTitle = false
        var titleText = ""
        for token in tokens {
            switch token {
            case .startTag(let tag):
                tags.append(tag)
                if let id = tag.attribute("id"), !id.isEmpty { anchors.insert(id) }
                if tag.name == "a", let name = tag.attribute("name"), !name.isEmpty { anchors.insert(name) }
                if tag.name == "base", baseHref == nil, let href = tag.attribute("href") { baseHref = href }
                if tag.name == "title", title == nil { inTitle = true }
            case .text(let text) where inTitle:
                titleText += text
            case .endTag("title") where inTitle:
                inTitle = false
                title = Self.collapsingWhitespace(titleText)
            default:
                break
            }
        }
        if inTitle { title = Self.collapsingWhitespace(titleText) }
        self.tags = tags
        self.anchors = anchors
        self.baseHref = baseHref
        self.title = title
    }

    /// The start tags of one element name (lowercase), in document order.
    public func elements(_ name: String) -> [HTMLTag] {
        tags.filter { $0.name == name }
    }

    /// `<meta http-equiv=… content=…>` pairs, the name trimmed and lowercased, in document order.
    public var httpEquivalents: [(name: String, content: String)] {
        tags.compactMap { tag in
            guard tag.name == "meta", let name = tag.attribute("http-equiv"), let content = tag.attribute("content")
            else { return nil }
            return (name.trimmingCharacters(in: .whitespaces).lowercased(), content)
        }
    }

    /// The `content` of the last `<meta name=…>` with this name (compared case-insensitively, trimmed).
    public func metaContent(named name: String) -> String? {
        let wanted = name.lowercased()
        return tags.last { tag in
            tag.name == "meta" && tag.attribute("name")?.trimmingCharacters(in: .whitespaces).lowercased() == wanted
                && tag.has("content")
        }?.attribute("content")
    }

    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
