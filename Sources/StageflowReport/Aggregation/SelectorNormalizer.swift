/// The canonical spelling of a CSS selector, so that two scanners (or two runs) naming one element the
/// same way produce the same string.
///
/// Outside quoted strings: runs of whitespace become one space and the ends are trimmed; the combinators
/// `>`, `+`, `~` are written with one space on either side and `,` as `, ` (not inside `[…]` or `(…)`,
/// where `~=` and `2n+1` live). Quoted strings keep their content but are always written with double
/// quotes. A leading `html`, `:root` and then `body` compound followed by a combinator is dropped
/// (`html > body > main > img` is `main > img`), so an absolute path and the path below `body` agree; a
/// selector that is only `html` or `body` is kept. Nothing else changes: ids, classes and attribute values
/// are case-sensitive and stay as they are. A missing selector is the empty string.
public struct SelectorNormalizer {
    private var output: [UInt8] = []

    /// A normaliser; keep one around to reuse its buffer.
    public init() { output.reserveCapacity(256) }

    /// The normalised spelling of `selector` (see the type's documentation).
    public static func normalize(_ selector: String?) -> String {
        var normalizer = SelectorNormalizer()
        return normalizer.normalize(selector)
    }

    /// The normalised spelling of `selector`; returns the same string, without copying, when it is already
    /// normal.
    public mutating func normalize(_ selector: String?) -> String {
        guard var selector else { return "" }
        let unchanged: Bool = selector.withUTF8 { input in
            rewrite(input)
            return output.count == input.count && output.elementsEqual(input)
        }
        return unchanged ? selector : String(decoding: output, as: UTF8.self)
    }

    private mutating func rewrite(_ input: UnsafeBufferPointer<UInt8>) {
        output.removeAll(keepingCapacity: true)
        var pendingSpace = false
        var quote: UInt8 = 0
        var depth = 0
        var index = 0
        let count = input.count
        while index < count {
            let byte = input[index]
            if quote != 0 {
                if byte == Byte.backslash, index + 1 < count {
                    let next = input[index + 1]
                    if quote == Byte.singleQuote, next == Byte.singleQuote {
                        output.append(next)
                    } else {
                        output.append(byte)
                        output.append(next)
                    }
                    index += 2
                    continue
                }
                if byte == quote {
                    output.append(Byte.doubleQuote)
                    quote = 0
                } else if quote == Byte.singleQuote, byte == Byte.doubleQuote {
                    output.append(Byte.backslash)
                    output.append(byte)
                } else {
                    output.append(byte)
                }
                index += 1
                continue
            }
            if Byte.isSpace(byte) {
                pendingSpace = true
                index += 1
                continue
            }
            if depth == 0, byte == Byte.greater || byte == Byte.plus || byte == Byte.tilde || byte == Byte.comma {
                if output.last == Byte.space { output.removeLast() }
                if byte != Byte.comma, !output.isEmpty { output.append(Byte.space) }
                output.append(byte)
                output.append(Byte.space)
                pendingSpace = false
                index += 1
                continue
            }
            if pendingSpace, let last = output.last, last != Byte.space { output.append(Byte.space) }
            pendingSpace = false
            switch byte {
            case Byte.singleQuote, Byte.doubleQuote:
                quote = byte
                output.append(Byte.doubleQuote)
            case Byte.backslash:
                output.append(byte)
                if index + 1 < count {
                    index += 1
                    output.append(input[index])
                }
            case Byte.openBracket, Byte.openParen:
                depth += 1
                output.append(byte)
            case Byte.closeBracket, Byte.closeParen:
                depth = max(0, depth - 1)
                output.append(byte)
            default:
                output.append(byte)
            }
            index += 1
        }
        if output.last == Byte.space { output.removeLast() }
        dropDocumentPrefix()
    }

    /// Drops a leading `html`/`:root` compound and then a `body` compound, each only when a descendant or
    /// child combinator follows it.
    private mutating func dropDocumentPrefix() {
        for names in [["html", ":root"], ["body"]] {
            for name in names {
                let length = name.utf8.count
                guard output.count > length, output.starts(with: name.utf8) else { continue }
                if output.count > length + 3, output[length] == Byte.space, output[length + 1] == Byte.greater,
                    output[length + 2] == Byte.space
                {
                    output.removeFirst(length + 3)
                } else if output[length] == Byte.space, output.count > length + 1,
                    !Byte.isCombinator(output[length + 1])
                {
                    output.removeFirst(length + 1)
                }
                break
            }
        }
    }
}

private enum Byte {
    static let space = UInt8(ascii: " ")
    static let greater = UInt8(ascii: ">")
    static let plus = UInt8(ascii: "+")
    static let tilde = UInt8(ascii: "~")
    static let comma = UInt8(ascii: ",")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    static func isCombinator(_ byte: UInt8) -> Bool {
        byte == greater || byte == plus || byte == tilde || byte == comma
    }
}
