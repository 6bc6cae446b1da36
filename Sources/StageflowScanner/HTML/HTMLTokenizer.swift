/// A tolerant HTML tokenizer after the WHATWG tokenization rules, reduced to what scanners need: start tags
/// with their attributes, end tags, text, and the raw-text elements (`script`, `style`, `title`, …) whose
/// contents are not markup. It never fails: malformed markup is read the way a browser would read it, or
/// skipped.
public struct HTMLTokenizer: Sequence, IteratorProtocol {
    private let bytes: [UInt8]
    private var index = 0
    /// Inside a raw-text element: its name and whether references in it are decoded (RCDATA).
    private var rawText: (name: String, decodes: Bool)?

    /// Elements whose content is text up to their end tag, and whether that text decodes references.
    static let rawTextElements: [String: Bool] = [
        "script": false, "style": false, "xmp": false, "iframe": false, "noembed": false, "noframes": false,
        "textarea": true, "title": true,
    ]

    /// A tokenizer over a document's text.
    public init(_ html: String) {
        self.bytes = Array(html.utf8)
    }

    /// A tokenizer over a document's bytes, read as UTF-8 (invalid sequences replaced).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next token, or `nil` at the end of the document.
    public mutating func next() -> HTMLToken? {
        if let raw = rawText {
            rawText = nil
            let end = findEndTag(raw.name, from: index) ?? bytes.count
            let start = index
            index = end
            if end > start {
                let slice = bytes[start..<end]
                return .text(raw.decodes ? HTMLEntities.decode(slice, inAttribute: false) : string(slice))
            }
        }
        guard index < bytes.count else { return nil }
        if bytes[index] != UInt8(ascii: "<") { return readText() }
        let next = index + 1 < bytes.count ? bytes[index + 1] : 0
        if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") { return readComment() }
        if next == UInt8(ascii: "/") {
            let after = index + 2 < bytes.count ? bytes[index + 2] : 0
            if Self.isLetter(after) { return readEndTag() }
            if after == UInt8(ascii: ">") {
                index += 3
                return .comment
            }
            return readComment()
        }
        if Self.isLetter(next) { return readStartTag() }
        return readText(includingFirst: true)
    }

    // MARK: - Text and comments

    private mutating func readText(includingFirst: Bool = false) -> HTMLToken {
        let start = index
        index += includingFirst ? 1 : 0
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
        return .text(HTMLEntities.decode(bytes[start..<index], inAttribute: false))
    }

    private mutating func readComment() -> HTMLToken {
        if hasPrefix("<!--", at: index) {
            if let end = find("-->", from: index + 4) {
                index = end + 3
            } else {
                index = bytes.count
            }
            return .comment
        }
        while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
        index = Swift.min(index + 1, bytes.count)
        return .comment
    }

    // MARK: - Tags

    private mutating func readEndTag() -> HTMLToken {
        index += 2
        let name = readName()
        while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
        index = Swift.min(index + 1, bytes.count)
        return .endTag(name)
    }

    private mutating func readStartTag() -> HTMLToken {
        let start = index
        index += 1
        let name = readName()
        var attributes: [HTMLAttribute] = []
        var seen = Set<String>()
        var selfClosing = false
        while index < bytes.count {
            skipWhitespace()
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") {
                index += 1
                break
            }
            if byte == UInt8(ascii: "/") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: ">") {
                    selfClosing = true
                    index += 1
                    break
                }
                continue
            }
            let attribute = readAttribute()
            if !attribute.name.isEmpty, seen.insert(attribute.name).inserted { attributes.append(attribute) }
        }
        let tag = HTMLTag(
            name: name, attributes: attributes, selfClosing: selfClosing, source: string(bytes[start..<index]))
        if let decodes = Self.rawTextElements[name] { rawText = (name, decodes) }
        return .startTag(tag)
    }

    private mutating func readAttribute() -> HTMLAttribute {
        let nameStart = index
        index += 1  // the first character may be `=`
        while index < bytes.count {
            let byte = bytes[index]
            if Self.isWhitespace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "=")
            {
                break
            }
            index += 1
        }
        let name = Self.lowercased(bytes[nameStart..<index])
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return HTMLAttribute(name: name, value: "") }
        index += 1
        skipWhitespace()
        guard index < bytes.count else { return HTMLAttribute(name: name, value: "") }
        let quote = bytes[index]
        let valueStart: Int
        let valueEnd: Int
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            valueStart = index + 1
            var end = valueStart
            while end < bytes.count, bytes[end] != quote { end += 1 }
            valueEnd = end
            index = Swift.min(end + 1, bytes.count)
        } else {
            valueStart = index
            while index < bytes.count, !Self.isWhitespace(bytes[index]), bytes[index] != UInt8(ascii: ">") {
                index += 1
            }
            valueEnd = index
        }
        return HTMLAttribute(name: name, value: HTMLEntities.decode(bytes[valueStart..<valueEnd], inAttribute: true))
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if Self.isWhitespace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") { break }
            index += 1
        }
        return Self.lowercased(bytes[start..<index])
    }

    // MARK: - Scanning helpers

    /// The offset of `</name` followed by whitespace, `/` or `>`, compared case-insensitively.
    private func findEndTag(_ name: String, from start: Int) -> Int? {
        let target = Array(name.utf8)
        var position = start
        while let open = find("</", from: position) {
            let nameStart = open + 2
            let nameEnd = nameStart + target.count
            if nameEnd <= bytes.count, Self.lowercasedBytes(bytes[nameStart..<nameEnd]) == target {
                let after = nameEnd < bytes.count ? bytes[nameEnd] : UInt8(ascii: ">")
                if Self.isWhitespace(after) || after == UInt8(ascii: "/") || after == UInt8(ascii: ">") { return open }
            }
            position = open + 2
        }
        return nil
    }

    private func find(_ needle: String, from start: Int) -> Int? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, start < bytes.count else { return nil }
        var position = start
        while position + pattern.count <= bytes.count {
            if bytes[position] == first, hasPrefix(pattern, at: position) { return position }
            position += 1
        }
        return nil
    }

    private func hasPrefix(_ text: String, at position: Int) -> Bool {
        hasPrefix(Array(text.utf8), at: position)
    }

    private func hasPrefix(_ pattern: [UInt8], at position: Int) -> Bool {
        guard position + pattern.count <= bytes.count else { return false }
        for offset in 0..<pattern.count where bytes[position + offset] != pattern[offset] { return false }
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }

    private func string(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: slice, as: UTF8.self)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func lowercasedBytes(_ slice: ArraySlice<UInt8>) -> [UInt8] {
        slice.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
    }

    static func lowercased(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: lowercasedBytes(slice), as: UTF8.self)
    }
}
