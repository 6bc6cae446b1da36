/// Parsing of an RFC 8941 structured-field Item — a bare item with optional parameters — as browsers parse
/// `Cross-Origin-Opener-Policy` and `Cross-Origin-Embedder-Policy`: a value that is not a valid Item is
/// ignored as a whole, and only a Token is a policy (`"same-origin"` in quotes is a String, not a policy).
enum StructuredFieldItem {
    /// The bare item of `value` when the whole value is a valid Item whose bare item is a Token; `nil`
    /// otherwise.
    static func token(_ value: String) -> String? {
        var parser = Parser(Array(value.utf8))
        parser.skipSpaces()
        guard let item = parser.bareItem() else { return nil }
        while parser.peek == UInt8(ascii: ";") {
            parser.advance()
            parser.skipSpaces()
            guard parser.key() else { return nil }
            if parser.peek == UInt8(ascii: "=") {
                parser.advance()
                guard parser.bareItem() != nil else { return nil }
            }
        }
        parser.skipSpaces()
        guard parser.atEnd, case .token(let token) = item else { return nil }
        return token
    }

    private enum BareItem {
        case token(String)
        case other
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }
        mutating func advance() { index += 1 }

        mutating func skipSpaces() {
            while peek == UInt8(ascii: " ") { advance() }
        }

        mutating func bareItem() -> BareItem? {
            guard let first = peek else { return nil }
            switch first {
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number() ? .other : nil
            case UInt8(ascii: "\""): return string() ? .other : nil
            case UInt8(ascii: ":"): return byteSequence() ? .other : nil
            case UInt8(ascii: "?"): return boolean() ? .other : nil
            case UInt8(ascii: "*"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                let start = index
                advance()
                while let byte = peek, Self.isTokenCharacter(byte) { advance() }
                return .token(String(decoding: bytes[start..<index], as: UTF8.self))
            default: return nil
            }
        }

        mutating func key() -> Bool {
            guard let first = peek, first == UInt8(ascii: "*") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
            else { return false }
            advance()
            while let byte = peek,
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || "_-.*".utf8.contains(byte)
            {
                advance()
            }
            return true
        }

        mutating func number() -> Bool {
            if peek == UInt8(ascii: "-") { advance() }
            var digits = 0
            var sawDot = false
            while let byte = peek {
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    digits += 1
                } else if byte == UInt8(ascii: "."), !sawDot, digits > 0 {
                    sawDot = true
                } else {
                    break
                }
                advance()
            }
            return digits > 0 && digits <= 15
        }

        mutating func string() -> Bool {
            advance()
            while let byte = peek {
                advance()
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = peek, escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") else {
                        return false
                    }
                    advance()
                } else if byte == UInt8(ascii: "\"") {
                    return true
                } else if byte < 0x20 || byte > 0x7E {
                    return false
                }
            }
            return false
        }

        mutating func byteSequence() -> Bool {
            advance()
            while let byte = peek {
                advance()
                if byte == UInt8(ascii: ":") { return true }
                let isBase64 = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "+/=".utf8.contains(byte)
                if !isBase64 { return false }
            }
            return false
        }

        mutating func boolean() -> Bool {
            advance()
            guard let value = peek, value == UInt8(ascii: "0") || value == UInt8(ascii: "1") else { return false }
            advance()
            return true
        }

        static func isTokenCharacter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "!#$%&'*+-.^_`|~:/".utf8.contains(byte)
        }
    }
}
