/// A start tag as the tokenizer read it: the lowercased name, the attributes with entities decoded, and the
/// tag's own text as written in the page (the "HTML snippet" findings show).
public struct HTMLTag: Sendable, Hashable {
    /// Tag name, lowercased (`a`, `img`, `meta`).
    public var name: String
    /// Attributes in document order, names lowercased, values decoded; a repeated name keeps its first value,
    /// as browsers do.
    public var attributes: [HTMLAttribute]
    /// Written as `<br/>`.
    public var selfClosing: Bool
    /// The start tag exactly as it appears in the page, from `<` to `>`.
    public var source: String

    /// A tag.
    public init(name: String, attributes: [HTMLAttribute] = [], selfClosing: Bool = false, source: String = "") {
        self.name = name
        self.attributes = attributes
        self.selfClosing = selfClosing
        self.source = source
    }

    /// The value of an attribute (name compared case-insensitively), or `nil` when absent. An attribute
    /// written without a value (`<script async>`) has the empty string.
    public func attribute(_ name: String) -> String? {
        let lowered = name.lowercased()
        return attributes.first { $0.name == lowered }?.value
    }

    /// Whether the attribute is present, with or without a value.
    public func has(_ name: String) -> Bool {
        attribute(name) != nil
    }
}

/// One attribute of a start tag.
public struct HTMLAttribute: Sendable, Hashable {
    /// Name, lowercased.
    public var name: String
    /// Value with character references decoded; empty for a bare attribute.
    public var value: String

    /// An attribute.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One token of an HTML document, as far as scanners care: start and end tags and text.
public enum HTMLToken: Sendable, Hashable {
    /// `<name …>`.
    case startTag(HTMLTag)
    /// `</name>`, name lowercased.
    case endTag(String)
    /// Character data with references decoded (raw for the contents of `script` and `style`).
    case text(String)
    /// A comment, doctype or processing instruction; its content is not kept.
    case comment
}
