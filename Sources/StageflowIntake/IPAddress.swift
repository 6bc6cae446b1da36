import Foundation

/// An IPv4 or IPv6 address as its network-order bytes: what a host name resolves to, what a URL names
/// literally, and what a connection is about to be opened to.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, most significant first.
    public let bytes: [UInt8]

    /// An address from its 4 (IPv4) or 16 (IPv6) network-order bytes; `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = Array(bytes)
    }

    /// The IPv4 address with this 32-bit value.
    public init(ipv4 value: UInt32) {
        bytes = [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    /// An address in its usual textual form: dotted-quad IPv4 (`192.0.2.1`, four decimal parts) or IPv6
    /// (`2001:db8::1`, `::ffff:127.0.0.1`), without brackets or zone. Other IPv4 spellings are a URL host
    /// matter (`TargetURL` parses those).
    public init?(_ text: String) {
        if text.contains(":") {
            guard let parsed = Self.parseIPv6(Substring(text)) else { return nil }
            self = parsed
        } else {
            guard let value = Self.parseDottedQuad(Substring(text)) else { return nil }
            self.init(ipv4: value)
        }
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The 32-bit value of an IPv4 address.
    public var ipv4Value: UInt32? {
        guard isIPv4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// `127.0.0.1`, or IPv6 in the RFC 5952 form (`2001:db8::1`, `::ffff:127.0.0.1`).
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = (0..<8).map { Int(bytes[2 * $0]) << 8 | Int(bytes[2 * $0 + 1]) }
        if groups[0..<5].allSatisfy({ $0 == 0 }), groups[5] == 0xffff {
            return "::ffff:" + bytes[12...].map(String.init).joined(separator: ".")
        }
        var best: Range<Int>?
        var start: Int?
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if start == nil { start = index }
            } else if let runStart = start {
                if index - runStart >= 2, index - runStart > (best?.count ?? 0) { best = runStart..<index }
                start = nil
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let best else { return hex.joined(separator: ":") }
        return hex[..<best.lowerBound].joined(separator: ":") + "::" + hex[best.upperBound...].joined(separator: ":")
    }

    /// Strict dotted-quad IPv4: four decimal parts 0…255 without leading zeros.
    static func parseDottedQuad(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part == "0" || !part.hasPrefix("0"), let number = UInt32(part), number <= 255
            else { return nil }
            value = value << 8 | number
        }
        return value
    }

    /// IPv6 text: up to eight groups of 1–4 hex digits, at most one `::`, optionally ending in a dotted quad.
    static func parseIPv6(_ text: Substring) -> IPAddress? {
        guard !text.isEmpty, text.count <= 64, text.allSatisfy({ $0.isASCII }) else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowDotted: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (index, piece) in pieces.enumerated() {
                if allowDotted, index == pieces.count - 1, piece.contains(".") {
                    guard let value = parseDottedQuad(piece) else { return nil }
                    result.append(UInt16(value >> 16))
                    result.append(UInt16(value & 0xffff))
                } else {
                    guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit),
                        let value = UInt16(piece, radix: 16)
                    else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowDotted: false), let tail = groups(halves[1], allowDotted: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowDotted: true), only.count == 8 else { return nil }
            all = only
        }
        return IPAddress(bytes: all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] })
    }

    /// The IPv4 address an IPv6 address carries and how: IPv4-mapped (`::ffff:0:0/96`), IPv4-translated
    /// (`::ffff:0:0:0/96`), IPv4-compatible (`::/96` except `::` and `::1`), NAT64 (`64:ff9b::/96` and the
    /// local-use `64:ff9b:1::/48`), 6to4 (`2002::/16`) or Teredo (`2001::/32`, whose client address is stored
    /// with every bit inverted). Such an address reaches that IPv4 host, so it is checked as it.
    public var embeddedIPv4: (address: IPAddress, form: String)? {
        guard !isIPv4 else { return nil }
        let last = IPAddress(bytes: bytes[12...])!
        let zeros = { (range: Range<Int>) in self.bytes[range].allSatisfy { $0 == 0 } }
        if zeros(0..<10), bytes[10] == 0xff, bytes[11] == 0xff { return (last, "IPv4-mapped") }
        if zeros(0..<8), bytes[8] == 0xff, bytes[9] == 0xff, zeros(10..<12) { return (last, "IPv4-translated") }
        if zeros(0..<12), last.ipv4Value! > 1 { return (last, "IPv4-compatible") }
        if bytes[0..<4] == [0x00, 0x64, 0xff, 0x9b], zeros(4..<12) { return (last, "NAT64") }
        if bytes[0..<6] == [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01] { return (last, "NAT64") }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return (IPAddress(bytes: bytes[2..<6])!, "6to4") }
        if bytes[0..<4] == [0x20, 0x01, 0x00, 0x00] { return (IPAddress(bytes: bytes[12...].map { ~$0 })!, "Teredo") }
        return nil
    }
}
