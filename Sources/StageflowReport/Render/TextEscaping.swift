import Foundation

/// Escaping of untrusted text (selectors, HTML snippets, messages, URLs) for each output format.
public enum TextEscaping {
    /// Text for HTML element content or a double-quoted attribute value: `& < > " '` become references and
    /// control characters other than tab and newline become U+FFFD.
    public static func html(_ text: String) -> String {
        var needsWork = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 || (byte < 0x20 && byte != 0x09 && byte != 0x0A) || byte == 0x7F {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Text for XML 1.0 content or attributes: as for HTML, plus every character XML 1.0 forbids (C0
    /// controls other than tab, newline and carriage return; U+FFFE and U+FFFF) replaced with U+FFFD, and
    /// newlines and tabs in attributes kept as character references.
    static func xml(_ text: String, attribute: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += attribute ? "&#10;" : "\n"
            case "\r": out += "&#13;"
            case "\t": out += attribute ? "&#9;" : "\t"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Text for a Markdown paragraph or table cell: ASCII punctuation that Markdown or GFM could read as
    /// syntax is backslash-escaped, `&` becomes `&amp;`, and line breaks become spaces.
    static func markdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "\n", "\r", "\t": out += " "
            case "\\", "`", "*", "_", "{", "}", "[", "]", "<", ">", "(", ")", "#", "+", "-", ".", "!", "|", "~", "\"", "'", ":", "@", "$", "=", "^":
                out += "\\"
                out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A Markdown code span holding `text` literally: the backtick fence is longer than any backtick run in
    /// it, line breaks become spaces and, inside tables, `|` is escaped as GFM requires.
    static func markdownCode(_ text: String, inTable: Bool = false) -> String {
        var content = text.replacingOccurrences(of: "\r\n", with: " ")
        content = String(content.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        if inTable { content = content.replacingOccurrences(of: "|", with: "\\|") }
        let fence = String(repeating: "`", count: longestRun(of: "`", in: content) + 1)
        let padded = content.hasPrefix("`") || content.hasSuffix("`") || content.hasPrefix(" ") ? " \(content) " : content
        return fence + padded + fence
    }

    /// A fenced Markdown code block holding `text` literally.
    static func markdownCodeBlock(_ text: String, language: String = "") -> String {
        let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: text) + 1))
        return "\(fence)\(language)\n\(text)\n\(fence)"
    }

    /// An http(s) URL made safe as a Markdown link destination or an HTML `href`: `nil` for any other
    /// scheme (`javascript:` and the like), and every byte outside the printable ASCII characters that URLs
    /// need percent-encoded (so no space, quote, angle bracket, backslash, backtick or parenthesis remains).
    static func linkTarget(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        return percentEncoded(trimmed)
    }

    private static func percentEncoded(_ trimmed: String) -> String {
        var out = ""
        for byte in trimmed.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case _ where "-._~:/?#[]@!$&*+,;=%".utf8.contains(byte):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// A link for CSS `url("…")` or an `src` attribute: relative references and http(s) URLs only (`nil`
    /// for other schemes), with every byte outside the printable ASCII characters URLs need percent-encoded.
    static func cssURL(_ url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        if let colon = trimmed.firstIndex(of: ":") {
            let head = trimmed[..<colon]
            if !head.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
                let scheme = head.lowercased()
                guard scheme == "http" || scheme == "https" else { return nil }
            }
        }
        return percentEncoded(trimmed)
    }

    /// `text` cut to `limit` characters with an ellipsis.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }

    private static func longestRun(of character: Character, in text: String) -> Int {
        var longest = 0
        var current = 0
        for each in text {
            if each == character {
                current += 1
                longest = max(longest, current)
            } else {
                current = 0
            }
        }
        return longest
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
