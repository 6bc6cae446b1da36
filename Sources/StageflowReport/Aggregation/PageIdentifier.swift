/// Stable page ids derived from page URLs, so that one page has one id in every run and every scanner.
///
/// The URL is normalised first: surrounding whitespace trimmed; scheme and host lowercased; the default
/// port (80 for http/ws, 443 for https/wss) and an empty port dropped; an empty path written `/`; the
/// fragment dropped; percent-escapes written with uppercase hex digits. The path (including a trailing
/// slash or its absence), the query and any user info are kept as they are: `/docs` and `/docs/` may be
/// different documents. The id is the first 12 hex digits of SHA-256 over the normalised URL's UTF-8 bytes.
public enum PageIdentifier {
    /// The page id of a URL (normalised first).
    public static func id(for url: String) -> String {
        Fingerprint.hex12(of: normalize(url))
    }

    /// The normalised spelling of a URL (see the type's documentation).
    public static func normalize(_ url: String) -> String {
        var bytes = Array(url.utf8)
        trimWhitespace(&bytes)
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes.removeSubrange(hash...) }
        guard let schemeEnd = schemeSeparator(in: bytes) else {
            return String(decoding: uppercasePercentEscapes(bytes), as: UTF8.self)
        }
        let scheme = lowercased(bytes[..<schemeEnd])
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, !isAuthorityTerminator(bytes[authorityEnd]) { authorityEnd += 1 }
        var authority = Array(bytes[authorityStart..<authorityEnd])
        var rest = Array(bytes[authorityEnd...])

        var userInfo: [UInt8] = []
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            userInfo = Array(authority[...at])
            authority = Array(authority[(at + 1)...])
        }
        var host = authority
        var port: [UInt8] = []
        let portColon: Int?
        if authority.first == UInt8(ascii: "[") {
            portColon = authority.firstIndex(of: UInt8(ascii: "]")).flatMap { close in
                close + 1 < authority.count && authority[close + 1] == UInt8(ascii: ":") ? close + 1 : nil
            }
        } else {
            portColon = authority.lastIndex(of: UInt8(ascii: ":"))
        }
        if let portColon {
            host = Array(authority[..<portColon])
            port = Array(authority[(portColon + 1)...])
        }
        host = lowercased(host[...])
        if !port.isEmpty, let defaultPort = defaultPorts[String(decoding: scheme, as: UTF8.self)],
            let number = Int(String(decoding: port, as: UTF8.self)), number == defaultPort
        {
            port = []
        }
        if rest.isEmpty || rest.first == UInt8(ascii: "?") { rest.insert(UInt8(ascii: "/"), at: 0) }

        var out = scheme
        out.append(contentsOf: "://".utf8)
        out.append(contentsOf: userInfo)
        out.append(contentsOf: host)
        if !port.isEmpty {
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: port)
        }
        out.append(contentsOf: uppercasePercentEscapes(rest))
        return String(decoding: out, as: UTF8.self)
    }

    private static let defaultPorts = ["http": 80, "https": 443, "ws": 80, "wss": 443]

    private static func schemeSeparator(in bytes: [UInt8]) -> Int? {
        guard let first = bytes.first, isLetter(first) else { return nil }
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                let slashes = index + 2 < bytes.count && bytes[index + 1] == UInt8(ascii: "/") && bytes[index + 2] == UInt8(ascii: "/")
                return slashes ? index : nil
            }
            guard isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else {
                return nil
            }
            index += 1
        }
        return nil
    }

    private static func isAuthorityTerminator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    private static func lowercased(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
    }

    private static func uppercasePercentEscapes(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        var index = 0
        while index + 2 < out.count {
            if out[index] == UInt8(ascii: "%"), isHexDigit(out[index + 1]), isHexDigit(out[index + 2]) {
                for offset in 1...2 where out[index + offset] >= UInt8(ascii: "a") { out[index + offset] -= 32 }
                index += 3
            } else {
                index += 1
            }
        }
        return out
    }

    private static func trimWhitespace(_ bytes: inout [UInt8]) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        let leading = bytes.prefix(while: isSpace).count
        if leading > 0 { bytes.removeFirst(leading) }
    }
}
