import StageflowReport

/// The page as the agent sees it at one step: where it is, the interactive elements it may use (numbered as on
/// the screenshot), and a digest of what is visible.
public struct PageObservation: Sendable, Hashable, Decodable {
    /// The document's URL.
    public var url: String
    /// Its title.
    public var title: String
    /// Size and scroll position of the viewport.
    public var viewport: Viewport
    /// The elements, numbered from 1: those in the viewport first, then those near it.
    public var elements: [InteractiveElement]
    /// Interactive elements visible in or near the viewport before the cut to the list's length.
    public var interactiveCount: Int
    /// A hash of what is visible (text, controls' states and values, scroll position).
    public var digest: String

    /// The viewport.
    public struct Viewport: Sendable, Hashable, Decodable {
        /// Width in CSS pixels.
        public var width: Double
        /// Height in CSS pixels.
        public var height: Double
        /// Horizontal scroll offset.
        public var scrollX: Double
        /// Vertical scroll offset.
        public var scrollY: Double
        /// Height of the whole document.
        public var pageHeight: Double
    }

    /// The element numbered `index`, if there is one.
    public func element(_ index: Int) -> InteractiveElement? {
        elements.indices.contains(index - 1) ? elements[index - 1] : nil
    }

    /// The state loop detection compares: the URL (without its fragment) and the digest.
    public var stateKey: String {
        let address = url.split(separator: "#", maxSplits: 1).first.map(String.init) ?? url
        return address + "#" + digest
    }
}

/// One element the agent may use.
public struct InteractiveElement: Sendable, Hashable, Decodable {
    /// Its number on the screenshot and in the list (from 1).
    public var index: Int
    /// Its role, given or implicit (`link`, `button`, `textbox`, `combobox`, …).
    public var role: String
    /// Its accessible name.
    public var name: String
    /// Its tag.
    public var tag: String
    /// An input's type.
    public var type: String?
    /// The stable locator: `role=button[name="Add to cart"]` (with ` >> nth=N` for the N-th of the same role and
    /// name on the page), or `css=…` when it has no name.
    public var locator: String
    /// A CSS selector of it.
    public var selector: String
    /// Its box in the viewport, CSS pixels.
    public var box: Box
    /// Whether any of it is in the viewport (rather than just below or above).
    public var inViewport: Bool
    /// Whether it is disabled.
    public var disabled: Bool
    /// The start of its markup.
    public var html: String?
    /// An input's value (a password shows as `•••`), a select's chosen option.
    public var value: String?
    /// A select's options (at most 20).
    public var options: [String]?
    /// A checkbox's or radio button's state.
    public var checked: Bool?
    /// `aria-expanded`.
    public var expanded: Bool?

    /// A box in viewport CSS pixels.
    public struct Box: Sendable, Hashable, Decodable {
        /// Left.
        public var x: Double
        /// Top.
        public var y: Double
        /// Width.
        public var width: Double
        /// Height.
        public var height: Double
    }

    /// The element as a journey records it.
    public var target: JourneyTarget {
        JourneyTarget(
            locator: locator, selector: selector, role: role, name: name, tag: tag,
            box: BoundingBox(x: box.x, y: box.y, width: box.width, height: box.height))
    }

    /// One line of the list sent to the model: `[3] button "Add to cart" (button)`, with the value, options and
    /// states that matter.
    public var promptLine: String {
        var line = "[\(index)] \(role) \"\(name.replacingOccurrences(of: "\"", with: "'"))\" (\(tag)\(type.map { " type=\($0)" } ?? ""))"
        if let value { line += " value=\"\(value)\"" }
        if let options, !options.isEmpty { line += " options: \(options.joined(separator: " | "))" }
        if let checked { line += checked ? " checked" : " unchecked" }
        if let expanded { line += expanded ? " expanded" : " collapsed" }
        if disabled { line += " disabled" }
        if !inViewport { line += " (outside the viewport; scroll to see it)" }
        return line
    }
}
