import Crypto

/// Issue fingerprints: the first 12 hex digits of SHA-256 over `scanner|ruleId|pageId|selector` (UTF-8),
/// where `pageId` comes from ``PageIdentifier`` and `selector` is the normalised selector used for
/// deduplication (``SelectorNormalizer``; empty for page-level findings and for rules the equivalence table
/// marks page-scoped). The same problem on the same element of the same page has the same fingerprint in
/// every run, which is what baseline diffs, SARIF `partialFingerprints` and CI gates rely on.
public enum Fingerprint {
    /// The fingerprint of one issue.
    public static func compute(scanner: String, ruleId: String, pageId: String, selector: String) -> String {
        var hasher = FingerprintHasher()
        return hasher.fingerprint(scanner: scanner, ruleId: ruleId, pageId: pageId, selector: selector).id
    }

    /// The first 12 hex digits of SHA-256 over the UTF-8 bytes of `text`.
    public static func hex12(of text: String) -> String {
        var hasher = SHA256()
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return FingerprintHasher.hex12(hasher.finalize()).id
    }
}

/// Computes fingerprints with one reusable buffer, for the aggregation hot path.
struct FingerprintHasher {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(256) }

    /// The fingerprint and its 48-bit value (the same digits as an integer, for fast ordering and lookup).
    mutating func fingerprint(scanner: String, ruleId: String, pageId: String, selector: String) -> (id: String, value: UInt64) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: scanner.utf8)
        buffer.append(UInt8(ascii: "|"))
        buffer.append(contentsOf: ruleId.utf8)
        buffer.append(UInt8(ascii: "|"))
        buffer.append(contentsOf: pageId.utf8)
        buffer.append(UInt8(ascii: "|"))
        buffer.append(contentsOf: selector.utf8)
        var hasher = SHA256()
        buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Self.hex12(hasher.finalize())
    }

    static func hex12(_ digest: SHA256.Digest) -> (id: String, value: UInt64) {
        digest.withUnsafeBytes { bytes in
            var value: UInt64 = 0
            for index in 0..<6 { value = value << 8 | UInt64(bytes[index]) }
            let id = String(unsafeUninitializedCapacity: 12) { out in
                let digits: StaticString = "0123456789abcdef"
                for index in 0..<6 {
                    let byte = bytes[index]
                    out[index * 2] = digits.utf8Start[Int(byte >> 4)]
                    out[index * 2 + 1] = digits.utf8Start[Int(byte & 0x0F)]
                }
                return 12
            }
            return (id, value)
        }
    }
}
