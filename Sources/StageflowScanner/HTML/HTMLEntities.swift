/// Decoding of HTML character references (`&amp;`, `&#39;`, `&#x2F;`) in text and attribute values, after the
/// WHATWG rules that matter for URLs and identifiers: numeric references with the Windows-1252 remapping and
/// replacement of invalid code points, the common named references, and the attribute rule that leaves
/// `&copy=1` in a query string alone.
enum HTMLEntities {
    /// Decodes the references in `slice` (UTF-8); `inAttribute` applies the attribute-value rule for named
    /// references written without a semicolon.
    static func decode(_ slice: ArraySlice<UInt8>, inAttribute: Bool) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(slice.count)
        var index = slice.startIndex
        while index < slice.endIndex {
            let byte = slice[index]
            guard byte == UInt8(ascii: "&") else {
                output.append(byte)
                index += 1
                continue
            }
            if let (scalar, length) = reference(in: slice, at: index, inAttribute: inAttribute) {
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
                index += length
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The character a reference at `start` (on `&`) stands for and the number of bytes it spans.
    private static func reference(
        in slice: ArraySlice<UInt8>, at start: Int, inAttribute: Bool
    ) -> (Unicode.Scalar, Int)? {
        var index = start + 1
        guard index < slice.endIndex else { return nil }
        if slice[index] == UInt8(ascii: "#") { return numeric(in: slice, at: start) }
        var name: [UInt8] = []
        while index < slice.endIndex, name.count < 32, isAlphanumeric(slice[index]) {
            name.append(slice[index])
            index += 1
        }
        guard !name.isEmpty else { return nil }
        let text = String(decoding: name, as: UTF8.self)
        if index < slice.endIndex, slice[index] == UInt8(ascii: ";"), let scalar = named[text] {
            return (scalar, name.count + 2)
        }
        // Without a semicolon only the legacy names count, matched as the longest prefix of the run.
        for length in stride(from: min(name.count, 6), through: 2, by: -1) {
            let prefix = String(decoding: name[0..<length], as: UTF8.self)
            guard legacy.contains(prefix), let scalar = named[prefix] else { continue }
            let following = start + 1 + length
            if inAttribute, following < slice.endIndex,
                isAlphanumeric(slice[following]) || slice[following] == UInt8(ascii: "=")
            {
                return nil
            }
            return (scalar, length + 1)
        }
        return nil
    }

    private static func numeric(in slice: ArraySlice<UInt8>, at start: Int) -> (Unicode.Scalar, Int)? {
        var index = start + 2
        var hex = false
        if index < slice.endIndex, slice[index] == UInt8(ascii: "x") || slice[index] == UInt8(ascii: "X") {
            hex = true
            index += 1
        }
        var value: UInt32 = 0
        var digits = 0
        while index < slice.endIndex, let digit = digitValue(slice[index], hex: hex) {
            value = min(value &* (hex ? 16 : 10) &+ digit, 0x110000)
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        if index < slice.endIndex, slice[index] == UInt8(ascii: ";") { index += 1 }
        return (scalar(forCodePoint: value), index - start)
    }

    /// The character a numeric reference produces: invalid code points become U+FFFD and the C1 range is read
    /// as Windows-1252, as browsers do.
    private static func scalar(forCodePoint value: UInt32) -> Unicode.Scalar {
        if value == 0 || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return "\u{FFFD}" }
        if let mapped = windows1252[value] { return mapped }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        HTMLTokenizer.isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Names that browsers also accept without the closing semicolon.
    private static let legacy: Set<String> = [
        "amp", "AMP", "lt", "LT", "gt", "GT", "quot", "QUOT", "nbsp", "copy", "COPY", "reg", "REG", "shy",
        "deg", "para", "sect", "laquo", "raquo", "middot", "times", "divide", "iexcl", "cent", "pound", "yen",
        "euro",
    ]

    /// The named references in everyday use; a name outside this table is left as written.
    private static let named: [String: Unicode.Scalar] = [
        "amp": "&", "AMP": "&", "lt": "<", "LT": "<", "gt": ">", "GT": ">", "quot": "\"", "QUOT": "\"",
        "apos": "'", "nbsp": "\u{A0}", "copy": "\u{A9}", "COPY": "\u{A9}", "reg": "\u{AE}", "REG": "\u{AE}",
        "trade": "\u{2122}", "shy": "\u{AD}", "deg": "\u{B0}", "para": "\u{B6}", "sect": "\u{A7}",
        "laquo": "\u{AB}", "raquo": "\u{BB}", "lsaquo": "\u{2039}", "rsaquo": "\u{203A}", "middot": "\u{B7}",
        "times": "\u{D7}", "divide": "\u{F7}", "iexcl": "\u{A1}", "iquest": "\u{BF}", "cent": "\u{A2}",
        "pound": "\u{A3}", "yen": "\u{A5}", "euro": "\u{20AC}", "hellip": "\u{2026}", "mdash": "\u{2014}",
        "ndash": "\u{2013}", "lsquo": "\u{2018}", "rsquo": "\u{2019}", "sbquo": "\u{201A}", "ldquo": "\u{201C}",
        "rdquo": "\u{201D}", "bdquo": "\u{201E}", "bull": "\u{2022}", "dagger": "\u{2020}", "Dagger": "\u{2021}",
        "permil": "\u{2030}", "prime": "\u{2032}", "Prime": "\u{2033}", "larr": "\u{2190}", "rarr": "\u{2192}",
        "uarr": "\u{2191}", "darr": "\u{2193}", "harr": "\u{2194}", "rArr": "\u{21D2}", "lArr": "\u{21D0}",
        "hArr": "\u{21D4}", "minus": "\u{2212}", "plusmn": "\u{B1}", "le": "\u{2264}", "ge": "\u{2265}",
        "ne": "\u{2260}", "asymp": "\u{2248}", "infin": "\u{221E}", "sum": "\u{2211}", "radic": "\u{221A}",
        "frac12": "\u{BD}", "frac14": "\u{BC}", "frac34": "\u{BE}", "sup1": "\u{B9}", "sup2": "\u{B2}",
        "sup3": "\u{B3}", "micro": "\u{B5}", "ordf": "\u{AA}", "ordm": "\u{BA}", "not": "\u{AC}",
        "acute": "\u{B4}", "cedil": "\u{B8}", "uml": "\u{A8}", "macr": "\u{AF}", "brvbar": "\u{A6}",
        "curren": "\u{A4}", "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}", "zwnj": "\u{200C}",
        "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}", "alpha": "\u{3B1}", "beta": "\u{3B2}",
        "gamma": "\u{3B3}", "delta": "\u{3B4}", "pi": "\u{3C0}", "sigma": "\u{3C3}", "omega": "\u{3C9}",
        "lambda": "\u{3BB}", "mu": "\u{3BC}", "Agrave": "\u{C0}", "Aacute": "\u{C1}", "Acirc": "\u{C2}",
        "Auml": "\u{C4}", "Aring": "\u{C5}", "AElig": "\u{C6}", "Ccedil": "\u{C7}", "Egrave": "\u{C8}",
        "Eacute": "\u{C9}", "Euml": "\u{CB}", "Iacute": "\u{CD}", "Ntilde": "\u{D1}", "Oacute": "\u{D3}",
        "Ouml": "\u{D6}", "Oslash": "\u{D8}", "Uacute": "\u{DA}", "Uuml": "\u{DC}", "szlig": "\u{DF}",
        "agrave": "\u{E0}", "aacute": "\u{E1}", "acirc": "\u{E2}", "atilde": "\u{E3}", "auml": "\u{E4}",
        "aring": "\u{E5}", "aelig": "\u{E6}", "ccedil": "\u{E7}", "egrave": "\u{E8}", "eacute": "\u{E9}",
        "ecirc": "\u{EA}", "euml": "\u{EB}", "igrave": "\u{EC}", "iacute": "\u{ED}", "icirc": "\u{EE}",
        "iuml": "\u{EF}", "ntilde": "\u{F1}", "ograve": "\u{F2}", "oacute": "\u{F3}", "ocirc": "\u{F4}",
        "otilde": "\u{F5}", "ouml": "\u{F6}", "oslash": "\u{F8}", "ugrave": "\u{F9}", "uacute": "\u{FA}",
        "ucirc": "\u{FB}", "uuml": "\u{FC}", "yacute": "\u{FD}", "yuml": "\u{FF}", "sol": "/", "colon": ":",
        "comma": ",", "period": ".", "num": "#", "percnt": "%", "quest": "?", "equals": "=", "plus": "+",
        "lpar": "(", "rpar": ")", "lsqb": "[", "rsqb": "]", "lcub": "{", "rcub": "}", "excl": "!",
        "dollar": "$", "ast": "*", "semi": ";", "Tab": "\t", "NewLine": "\n", "grave": "`", "bsol": "\\",
        "verbar": "|", "lowbar": "_", "hyphen": "\u{2010}", "commat": "@",
    ]

    /// Numeric references in 0x80…0x9F name Windows-1252 characters.
    private static let windows1252: [UInt32: Unicode.Scalar] = [
        0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}", 0x85: "\u{2026}",
        0x86: "\u{2020}", 0x87: "\u{2021}", 0x88: "\u{02C6}", 0x89: "\u{2030}", 0x8A: "\u{0160}",
        0x8B: "\u{2039}", 0x8C: "\u{0152}", 0x8E: "\u{017D}", 0x91: "\u{2018}", 0x92: "\u{2019}",
        0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}", 0x96: "\u{2013}", 0x97: "\u{2014}",
        0x98: "\u{02DC}", 0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}", 0x9C: "\u{0153}",
        0x9E: "\u{017E}", 0x9F: "\u{0178}",
    ]
}
