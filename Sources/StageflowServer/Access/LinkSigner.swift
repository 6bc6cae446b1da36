import Crypto
import Foundation

/// Signs and checks shareable links to one stored object (a report or an artifact): the path and an expiry
/// time, HMAC-SHA256 with the server's link secret, as `?expires=<unix seconds>&signature=<hex>`. A valid
/// signature is the whole authorisation for a GET of that exact path, so a report can be shared without a
/// token, and only until the link expires.
struct LinkSigner: Sendable {
    let key: SymmetricKey
    let lifetime: Duration

    init(secret: Data, lifetime: Duration) {
        key = SymmetricKey(data: secret)
        self.lifetime = lifetime
    }

    /// The query (`expires=…&signature=…`) that makes `path` readable until `now + lifetime`.
    func query(for path: String, now: Date = Date()) -> String {
        let expires = Int64(now.timeIntervalSince1970) + lifetime.components.seconds
        return "expires=\(expires)&signature=\(signature(path: path, expires: expires))"
    }

    /// `path?expires=…&signature=…`.
    func link(for path: String, now: Date = Date()) -> String {
        "\(path)?\(query(for: path, now: now))"
    }

    /// The outcome of checking a request's signature.
    enum Verdict: Equatable {
        /// No `signature` parameter: the request needs ordinary authorisation.
        case unsigned
        /// Signed for this path and not yet expired.
        case valid
        /// Signed, but expired, malformed or not for this path.
        case invalid(String)
    }

    /// Checks `expires` and `signature` of a request for `path`.
    func verify(path: String, expires: String?, signature: String?, now: Date = Date()) -> Verdict {
        guard let signature else { return .unsigned }
        guard let expires, let seconds = Int64(expires) else {
            return .invalid("the link's expires parameter is missing or not a number")
        }
        guard seconds >= Int64(now.timeIntervalSince1970) else { return .invalid("the link has expired") }
        guard let given = Self.bytes(hex: signature),
            HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Self.message(path, seconds), using: key)
        else {
            return .invalid("the link's signature does not match")
        }
        return .valid
    }

    private func signature(path: String, expires: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Self.message(path, expires), using: key)
        return code.map { String(format: "%02x", $0) }.joined()
    }

    private static func message(_ path: String, _ expires: Int64) -> Data {
        Data("GET\n\(path)\n\(expires)".utf8)
    }

    private static func bytes(hex: String) -> Data? {
        guard hex.count == 64 else { return nil }
        var data = Data(capacity: 32)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}
