import Foundation

/// A target URL parsed strictly, by these rules and not Foundation's lenient ones: `http` or `https` only, no
/// user information, a port in 1…65535, the host percent-decoded, IDN-mapped to Punycode, stripped of
/// trailing dots, and every IPv4 spelling browsers and `inet_aton` accept (`2130706433`, `0177.0.0.1`,
/// `0x7f.1`, `127.1`) read as the address it means. `description` is the normalised URL to fetch.
public struct TargetURL: Sendable, Hashable, CustomStringConvertible {
    /// A host: a name to resolve, or an address written literally.
    public enum Host: Sendable, Hashable, CustomStringConvertible {
        /// A lower-case ASCII name (IDN labels in Punycode), without trailing dot.
        case name(String)
        /// An IPv4 or IPv6 literal.
        case address(IPAddress)

        /// `example.com`, `127.0.0.1`, `[::1]`.
        public var description: String {
            switch self {
            case .name(let name): return name
            case .address(let address): return address.isIPv4 ? "\(address)" : "[\(address)]"
            }
        }
    }

    /// `http` or `https`.
    public let scheme: String
    /// The normalised host.
    public let host: Host
    /// The host as the URL wrote it, as messages name it.
    public let hostAsWritten: String
    /// The port when the URL gives one other than the scheme's default.
    public let port: Int?
    /// Path, query and fragment, starting with `/`, with unsafe characters percent-encoded.
    public let pathAndQuery: String

    /// The port connected to.
    public var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// Scheme, host and port.
    public var origin: TargetOrigin { TargetOrigin(scheme: scheme, host: host, port: effectivePort) }

    /// The normalised URL: `http://127.0.0.1:8080/path?query`.
    public var description: String {
        "\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")\(pathAndQuery)"
    }

    /// Parses a URL; throws a rejection naming the part that is wrong.
    public static func parse(_ text: String) throws(TargetURLRejection) -> TargetURL {
        var parser = TargetURLParser(text: text)
        return try parser.parse()
    }
}

/// Scheme, host and port: what the explicitly allowed origins of a job (its own static file server) are.
public struct TargetOrigin: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public let scheme: String
    /// The host.
    public let host: TargetURL.Host
    /// The port, defaulted from the scheme.
    public let port: Int

    /// An origin from its parts.
    public init(scheme: String, host: TargetURL.Host, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// The origin of a URL such as `http://127.0.0.1:8080`, parsed by `TargetURL`'s rules.
    public init(_ text: String) throws(TargetURLRejection) {
        self = try TargetURL.parse(text).origin
    }

    /// `http://127.0.0.1:8080`.
    public var description: String { "\(scheme)://\(host):\(port)" }
}

/// The parse itself, one URL part after the other.
private struct TargetURLParser {
    let text: String

    func reject(_ reason: TargetURLRejection.Reason, _ message: String) -> TargetURLRejection {
        TargetURLRejection(reason, url: text, message: message)
    }

    mutating func parse() throws(TargetURLRejection) -> TargetURL {
        guard !text.isEmpty else { throw reject(.malformed, "URL is empty") }
        guard text.utf8.count <= 8192 else { throw reject(.malformed, "URL is longer than 8192 bytes") }
        if text.unicodeScalars.contains(where: { $0.value <= 0x20 || (0x7f...0xa0).contains($0.value) || $0.properties.isWhitespace }) {
            throw reject(.malformed, "URL contains a space or control character")
        }
        guard let colon = text.firstIndex(of: ":") else { throw reject(.malformed, "URL has no scheme") }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { throw reject(.malformed, "URL has no valid scheme") }
        let lowerScheme = scheme.lowercased()
        guard lowerScheme == "http" || lowerScheme == "https" else {
            throw reject(.schemeNotAllowed, "scheme \(lowerScheme) is not allowed; only http and https are")
        }
        let rest = text[text.index(after: colon)...]
        guard rest.hasPrefix("//") else { throw reject(.malformed, "URL has no authority; expected \(lowerScheme)://host") }
        let afterSlashes = rest.dropFirst(2)
        let end = afterSlashes.firstIndex(where: { "/?#\\".contains($0) }) ?? afterSlashes.endIndex
        if end < afterSlashes.endIndex, afterSlashes[end] == "\\" {
            throw reject(.malformed, "URL authority contains a backslash")
        }
        let authority = afterSlashes[..<end]
        if authority.contains("@") {
            throw reject(.credentials, "URL has user information before @; credentials in URLs are not allowed")
        }

        var hostText: Substring
        var portText: Substring?
        var bracketed = false
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw reject(.invalidHost, "IPv6 host has no closing ]") }
            hostText = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw reject(.invalidHost, "unexpected \(after) after the IPv6 host")
            }
            bracketed = true
        } else if let portColon = authority.lastIndex(of: ":") {
            hostText = authority[..<portColon]
            portText = authority[authority.index(after: portColon)...]
            if hostText.contains(":") { throw reject(.invalidHost, "host \(hostText) has a colon; IPv6 hosts go in brackets") }
        } else {
            hostText = authority
        }

        let port = try parsePort(portText, scheme: lowerScheme)
        let host: TargetURL.Host
        if bracketed {
            if hostText.contains("%") {
                throw reject(.zoneIdentifier, "host [\(hostText)] has a zone identifier; zones are not allowed")
            }
            guard let address = IPAddress.parseIPv6(Substring(hostText.lowercased())) else {
                throw reject(.invalidHost, "host [\(hostText)] is not a valid IPv6 address")
            }
            host = .address(address)
        } else {
            host = try parseHost(String(hostText))
        }
        return TargetURL(
            scheme: lowerScheme, host: host, hostAsWritten: bracketed ? "[\(hostText)]" : String(hostText), port: port,
            pathAndQuery: Self.encodeTail(afterSlashes[end...]))
    }

    func parsePort(_ portText: Substring?, scheme: String) throws(TargetURLRejection) -> Int? {
        guard let portText else { return nil }
        guard !portText.isEmpty else { throw reject(.invalidPort, "port is empty") }
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw reject(.invalidPort, "port \(portText) is not a number")
        }
        let significant = portText.drop(while: { $0 == "0" })
        guard significant.count <= 5, let value = Int(significant.isEmpty ? "0" : significant), value <= 65535 else {
            throw reject(.invalidPort, "port \(portText) is above 65535")
        }
        guard value > 0 else { throw reject(.invalidPort, "port \(portText) is not allowed; ports are 1–65535") }
        return value == (scheme == "https" ? 443 : 80) ? nil : value
    }

    func parseHost(_ raw: String) throws(TargetURLRejection) -> TargetURL.Host {
        guard !raw.isEmpty else { throw reject(.emptyHost, "URL has no host") }
        var decoded = raw
        if raw.contains("%") {
            guard let bytes = Self.percentDecode(raw) else {
                throw reject(.invalidHost, "host \(raw) has an invalid percent escape")
            }
            guard let string = String(validating: bytes, as: UTF8.self) else {
                throw reject(.invalidHost, "host \(raw) is not UTF-8 once percent-decoded")
            }
            decoded = string
        }
        // UTS 46 in brief: compatibility-normalise (fullwidth digits and dots become ASCII), lower-case.
        var mapped = decoded.precomposedStringWithCompatibilityMapping.lowercased().precomposedStringWithCompatibilityMapping
        for dot in ["\u{3002}", "\u{FF0E}", "\u{FF61}"] { mapped = mapped.replacingOccurrences(of: dot, with: ".") }
        while mapped.hasSuffix(".") { mapped.removeLast() }
        guard !mapped.isEmpty else { throw reject(.emptyHost, "host \(raw) is empty once trailing dots are removed") }
        if let bad = mapped.unicodeScalars.first(where: { $0.isASCII && !Self.isHostScalar($0) }) {
            throw reject(.invalidHost, "host \(raw) contains the character \(Self.describe(bad))")
        }
        if let bad = mapped.unicodeScalars.first(where: { !$0.isASCII && ($0.properties.isWhitespace || $0.properties.generalCategory == .control || $0.properties.generalCategory == .format || $0.properties.generalCategory == .unassigned || $0.properties.generalCategory == .privateUse || $0.properties.generalCategory == .surrogate) }) {
            throw reject(.invalidHost, "host \(raw) contains the character \(Self.describe(bad))")
        }
        switch IPv4Spelling.parse(mapped) {
        case .address(let value): return .address(IPAddress(ipv4: value))
        case .invalid(let why): throw reject(.invalidHost, "host \(raw) is not a valid IPv4 address: \(why)")
        case .notIPv4: break
        }
        var labels: [String] = []
        for label in mapped.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { throw reject(.invalidHost, "host \(raw) has an empty label") }
            var ascii = String(label)
            if !label.allSatisfy(\.isASCII) {
                guard let encoded = Punycode.encode(label.unicodeScalars) else {
                    throw reject(.invalidHost, "host \(raw) has a label that cannot be converted to Punycode")
                }
                ascii = "xn--" + encoded
            }
            guard ascii.utf8.count <= 63 else { throw reject(.invalidHost, "host \(raw) has a label longer than 63 characters") }
            labels.append(ascii)
        }
        let name = labels.joined(separator: ".")
        guard name.utf8.count <= 253 else { throw reject(.invalidHost, "host \(raw) is longer than 253 characters") }
        return .name(name)
    }

    static func isHostScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9", "-", ".", "_": return true
        default: return false
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        scalar.value < 0x21 || scalar.value == 0x7f || !scalar.isASCII
            ? "U+" + String(scalar.value, radix: 16, uppercase: true) : "\"\(Character(scalar))\""
    }

    static func percentDecode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Path, query and fragment with everything outside printable ASCII, and the characters URLs may not
    /// carry bare, percent-encoded; existing escapes kept; a bare `%` encoded.
    static func encodeTail(_ tail: Substring) -> String {
        let bytes = Array(tail.utf8)
        var output = ""
        if bytes.first != UInt8(ascii: "/") { output = "/" }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, hexValue(bytes[index + 1]) != nil,
                hexValue(bytes[index + 2]) != nil
            {
                output.append("%")
            } else if byte <= 0x20 || byte >= 0x7f || "\"<>\\^`{|}%".utf8.contains(byte) {
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded()
            } else {
                output.append(Character(Unicode.Scalar(byte)))
            }
            index += 1
        }
        return output
    }
}

extension String {
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}

/// Every IPv4 spelling the WHATWG URL standard (and so browsers and curl) reads as an address: one to four
/// dot-separated numbers, each decimal, octal (leading `0`) or hex (`0x`), the last filling the remaining bytes.
enum IPv4Spelling: Equatable {
    /// The host does not end in a number: a name.
    case notIPv4
    /// The host ends in a number but is no valid address (browsers refuse it too).
    case invalid(String)
    /// The address.
    case address(UInt32)

    static func parse(_ host: String) -> IPv4Spelling {
        var parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 1, parts.last == "" { parts.removeLast() }
        guard let last = parts.last, endsInNumber(last) else { return .notIPv4 }
        guard parts.count <= 4 else { return .invalid("more than four parts") }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = number(part) else { return .invalid("part \"\(part)\" is not a number") }
            numbers.append(number)
        }
        if numbers.dropLast().contains(where: { $0 > 255 }) { return .invalid("a part before the last is above 255") }
        guard numbers.last! < UInt64(1) << (8 * (5 - numbers.count)) else { return .invalid("the last part is too large") }
        var value = numbers.last!
        for (index, number) in numbers.dropLast().enumerated() { value += number << (8 * (3 - index)) }
        return .address(UInt32(value))
    }

    private static func endsInNumber(_ part: Substring) -> Bool {
        if !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        return part.hasPrefix("0x") && part.dropFirst(2).allSatisfy { $0.isASCII && $0.isHexDigit }
    }

    private static func number(_ part: Substring) -> UInt64? {
        guard !part.isEmpty else { return nil }
        var digits = part
        var radix = 10
        if part.hasPrefix("0x") {
            digits = part.dropFirst(2)
            radix = 16
            if digits.isEmpty { return 0 }
        } else if part.count > 1, part.hasPrefix("0") {
            digits = part.dropFirst()
            radix = 8
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        let significant = digits.drop(while: { $0 == "0" })
        guard significant.count <= 16 else { return nil }
        return significant.isEmpty ? 0 : UInt64(significant, radix: radix)
    }
}
