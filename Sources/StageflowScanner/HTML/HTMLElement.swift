/// One element of an `HTMLElementTree`: its start tag, where it sits (parent, position among its parent's
/// children) and what it contains, in document order.
public struct HTMLElement: Sendable, Hashable {
    /// Position in the tree's `elements` (document order of start tags); the root `html` is 0.
    public let index: Int
    /// The start tag as the tokenizer read it; an element the parser implied (an `html`, `head` or `body` the
    /// page leaves out) has an empty `source`.
    public let tag: HTMLTag
    /// The parent element's index; `nil` for the root.
    public internal(set) var parent: Int?
    /// Child elements and text, in document order.
    public internal(set) var content: [HTMLNode]

    /// An element.
    public init(index: Int, tag: HTMLTag, parent: Int?, content: [HTMLNode] = []) {
        self.index = index
        self.tag = tag
        self.parent = parent
        self.content = content
    }

    /// The tag name, lowercased.
    public var name: String { tag.name }

    /// The value of an attribute, or `nil` when absent.
    public func attribute(_ name: String) -> String? {
        tag.attribute(name)
    }

    /// Whether the parser implied the element (the page does not write its start tag).
    public var isImplied: Bool { tag.source.isEmpty }

    /// Indexes of the child elements, in order.
    public var children: [Int] {
        content.compactMap { node in
            if case .element(let index) = node { return index }
            return nil
        }
    }
}

/// A child of an element: another element (by index into the tree) or a run of text.
public enum HTMLNode: Sendable, Hashable {
    /// A child element.
    case element(Int)
    /// Text, references decoded (raw for `script` and `style`).
    case text(String)
}
