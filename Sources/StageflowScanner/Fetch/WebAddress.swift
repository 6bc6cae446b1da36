import Foundation

/// An absolute `http`/`https` URL in canonical spelling — scheme and host lowercased, default port dropped,
/// dot segments removed, an empty path written `/` — split from its fragment. Two references to one resource
/// have one `key`, which is what "each URL checked once" counts by.
public struct WebAddress: Sendable, Hashable, CustomStringConvertible {
    /// The URL without its fragment.
    public let url: URL
    /// The fragment as written after `#` (still percent-encoded), if there was one.
    public let fragment: String?

    /// The canonical spelling without fragment; equal for equal resources.
    public var key: String { url.absoluteString }

    /// `scheme://host[:port]`, the unit of "same origin".
    public var origin: String {
        let scheme = url.scheme ?? ""
        let host = url.host(percentEncoded: true) ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return url.port.map { "\(scheme)://\(bracketed):\($0)" } ?? "\(scheme)://\(bracketed)"
    }

    /// The host, lowercased.
    public var host: String { url.host(percentEncoded: true) ?? "" }

    /// Whether the scheme is `https`.
    public var isSecure: Bool { url.scheme == "https" }

    /// The address with the fragment put back, as a finding's target is shown.
    public var description: String {
        fragment.map { "\(key)#\($0)" } ?? key
    }

    /// Whether both addresses have the same scheme, host and port.
    public func isSameOrigin(as other: WebAddress) -> Bool {
        origin == other.origin
    }

    /// Parses an absolute `http`/`https` URL; `nil` for anything else.
    public init?(_ text: String) {
        guard let url = URL(string: Self.cleaned(text)), let address = Self(absolute: url) else { return nil }
        self = address
    }

    /// Resolves a reference as written in a page (`../a/#b`, `//cdn.example/x.js`, `?page=2`) against the
    /// document's base URL; `nil` when the result is not an `http`/`https` URL or cannot be parsed.
    public static func resolve(_ reference: String, against base: URL) -> WebAddress? {
        let text = cleaned(reference)
        if text.isEmpty { return WebAddress(absolute: base) }
        guard let url = URL(string: text, relativeTo: base) else { return nil }
        return WebAddress(absolute: url.absoluteURL)
    }

    /// Canonicalises an absolute URL; `nil` unless it is `http` or `https` with a host.
    public init?(absolute url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var components = URLComponents(url: url.absoluteURL, resolvingAgainstBaseURL: true),
            let host = components.percentEncodedHost, !host.isEmpty
        else { return nil }
        let fragment = components.percentEncodedFragment
        components.percentEncodedFragment = nil
        components.scheme = scheme
        components.percentEncodedHost = host.lowercased()
        if components.port == (scheme == "https" ? 443 : 80) { components.port = nil }
        components.percentEncodedPath = Self.removingDotSegments(components.percentEncodedPath)
        guard let canonical = components.url else { return nil }
        self.url = canonical
        self.fragment = fragment
    }

    /// The same address with another fragment (or none).
    public func withFragment(_ fragment: String?) -> WebAddress {
        WebAddress(url: url, fragment: fragment)
    }

    private init(url: URL, fragment: String?) {
        self.url = url
        self.fragment = fragment
    }

    /// The scheme of a reference as written (`mailto`, `https`), lowercased, or `nil` for a relative one.
    static func scheme(of reference: String) -> String? {
        let trimmed = cleaned(reference).utf8
        guard let colon = trimmed.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let candidate = trimmed[..<colon]
        func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        guard let first = candidate.first, isLetter(first),
            candidate.allSatisfy({ isLetter($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
        else { return nil }
        return String(decoding: candidate, as: UTF8.self).lowercased()
    }

    /// A reference as browsers read it before parsing: surrounding spaces and controls trimmed, tabs and
    /// newlines removed, backslashes as slashes, and characters URLs cannot hold percent-encoded (spaces,
    /// non-ASCII, quotes, a `#` after the first, a `%` not starting an escape).
    static func cleaned(_ reference: String) -> String {
        // Byte by byte: a link checker cleans every reference of every page. Surrounding bytes up to 0x20 are
        // exactly the surrounding scalars up to U+0020 (every other scalar's bytes are 0x21 or more).
        var first = reference.utf8.startIndex
        var last = reference.utf8.endIndex
        while first < last, reference.utf8[first] <= 0x20 { first = reference.utf8.index(after: first) }
        while last > first, reference.utf8[reference.utf8.index(before: last)] <= 0x20 { last = reference.utf8.index(before: last) }
        let bytes = Array(reference.utf8[first..<last])
        let authority = authorityRange(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        func escape(_ byte: UInt8) {
            output.append(UInt8(ascii: "%"))
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
        var seenHash = false
        for index in bytes.indices {
            let byte = bytes[index]
            switch byte {
            case 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "/"))
            case UInt8(ascii: "#") where !seenHash:
                seenHash = true
                output.append(byte)
            case UInt8(ascii: "%"):
                let isEscape = index + 2 < bytes.count && bytes[index + 1].isHexDigit && bytes[index + 2].isHexDigit
                if isEscape { output.append(byte) } else { escape(byte) }
            case UInt8(ascii: "["), UInt8(ascii: "]"):
                if authority.contains(index) { output.append(byte) } else { escape(byte) }
            case 0x21...0x7E where !mustEscape(byte):
                output.append(byte)
            default:
                escape(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func mustEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "#"), UInt8(ascii: "["), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }

    /// The byte range of the authority (`host:port` after `//`), where brackets enclose an IPv6 address.
    private static func authorityRange(_ bytes: [UInt8]) -> Range<Int> {
        var start = 0
        while start < bytes.count, bytes[start] != UInt8(ascii: "/"), bytes[start] != UInt8(ascii: ":") { start += 1 }
        if start < bytes.count, bytes[start] == UInt8(ascii: ":") { start += 1 }
        guard start + 1 < bytes.count, bytes[start] == UInt8(ascii: "/"), bytes[start + 1] == UInt8(ascii: "/")
        else { return 0..<0 }
        var end = start + 2
        while end < bytes.count, !"/?#".utf8.contains(bytes[end]) { end += 1 }
        return (start + 2)..<end
    }

    /// RFC 3986 §5.2.4 on a percent-encoded path.
    static func removingDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path.isEmpty ? "/" : path }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (offset, segment) in segments.enumerated() {
            let isLast = offset == segments.count - 1
            switch segment {
            case ".", "%2E", "%2e":
                if isLast { output.append("") }
            case "..", ".%2E", ".%2e", "%2E.", "%2e.", "%2E%2E", "%2e%2e":
                if output.count > 1 { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        let joined = output.joined(separator: "/")
        if joined.isEmpty { return "/" }
        return joined.hasPrefix("/") ? joined : "/" + joined
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
