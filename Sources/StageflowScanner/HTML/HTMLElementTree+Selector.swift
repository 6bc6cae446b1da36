extension HTMLElementTree {
    /// A CSS selector that matches this element and no other on the page, stable across runs of an unchanged
    /// page: `#id` when the element's id is unique on the page; otherwise a child path of
    /// `name:nth-of-type(n)` steps from the nearest ancestor with a unique id (`#main > ul:nth-of-type(2) >
    /// li:nth-of-type(3)`) or from the root (`html > body > div:nth-of-type(1) > img:nth-of-type(1)`).
    /// `html`, `head` and `body` are written bare, being one of a kind.
    public func selector(for element: HTMLElement) -> String {
        var steps: [String] = []
        var current: HTMLElement? = element
        while let node = current {
            if let id = node.attribute("id"), Self.isUsableID(id), isUniqueID(id) {
                steps.append("#" + Self.cssEscape(id))
                break
            }
            steps.append(step(for: node))
            current = node.parent.map { elements[$0] }
        }
        return steps.reversed().joined(separator: " > ")
    }

    /// The selector step of an element without a usable id, relative to its parent.
    private func step(for element: HTMLElement) -> String {
        let name = Self.cssEscape(element.name)
        guard let parent = element.parent, !["html", "head", "body"].contains(element.name) else { return name }
        var position = 0
        for index in elements[parent].children where elements[index].name == element.name {
            position += 1
            if index == element.index { break }
        }
        return "\(name):nth-of-type(\(position))"
    }

    /// Ids that can name an element in a selector: not empty and without whitespace (an id with whitespace is
    /// invalid HTML, and `#a b` would mean something else).
    static func isUsableID(_ id: String) -> Bool {
        !id.isEmpty && !id.contains { $0.isWhitespace }
    }

    /// An identifier escaped as CSSOM's `CSS.escape` does, so `3.0-announcement` becomes `\33 \.0-announcement`.
    public static func cssEscape(_ identifier: String) -> String {
        let scalars = Array(identifier.unicodeScalars)
        var output = ""
        for (offset, scalar) in scalars.enumerated() {
            let value = scalar.value
            let isDigit = (0x30...0x39).contains(value)
            if value == 0 {
                output += "\u{FFFD}"
            } else if (0x01...0x1F).contains(value) || value == 0x7F || (offset == 0 && isDigit)
                || (offset == 1 && isDigit && scalars[0] == "-")
            {
                output += "\\" + String(value, radix: 16) + " "
            } else if offset == 0 && scalars.count == 1 && scalar == "-" {
                output += "\\-"
            } else if value >= 0x80 || scalar == "-" || scalar == "_" || isDigit || (0x41...0x5A).contains(value)
                || (0x61...0x7A).contains(value)
            {
                output.unicodeScalars.append(scalar)
            } else {
                output += "\\"
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The element's start tag as written, shortened to `limit` characters for a finding's HTML snippet; an
    /// implied element is shown as `<name>`.
    public func snippet(of element: HTMLElement, limit: Int = 250) -> String {
        let source = element.isImplied ? "<\(element.name)>" : element.tag.source
        guard source.count > limit else { return source }
        return String(source.prefix(limit - 1)) + "…"
    }
}
