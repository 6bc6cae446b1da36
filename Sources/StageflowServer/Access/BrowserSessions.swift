import Crypto
import Foundation

/// Sign-in for browsers: a token exchanged once, at `/login`, for a session cookie, so the workbench works with
/// tokens configured. The cookie (`stageflow_session`, HttpOnly, SameSite=Strict) names the token by a digest
/// and an expiry, signed with the server's link secret; it never holds the token itself. One-time login codes
/// (what `stageflow up` prints as a link) stand for a token for a few minutes and once.
///
/// Forms of the workbench carry a CSRF token derived from the session (`csrfToken(for:)`), checked on submit.
final class BrowserSessions: @unchecked Sendable {
    /// The cookie's name.
    static let cookieName = "stageflow_session"

    private let key: SymmetricKey
    /// How long a session lasts.
    let lifetime: Duration
    /// How long a one-time login code stays valid.
    let codeLifetime: Duration
    private let lock = NSLock()
    private var codes: [String: (token: String, expires: ContinuousClock.Instant)] = [:]

    init(secret: Data, lifetime: Duration = .seconds(12 * 3600), codeLifetime: Duration = .seconds(15 * 60)) {
        key = SymmetricKey(data: SHA256.hash(data: Data("stageflow session|".utf8) + secret))
        self.lifetime = lifetime
        self.codeLifetime = codeLifetime
    }

    // MARK: Cookies

    /// The cookie value of a session for `token`, valid until `now + lifetime`.
    func cookieValue(forToken token: String, now: Date = Date()) -> String {
        let expires = Int64(now.timeIntervalSince1970) + lifetime.components.seconds
        let digest = Self.digest(of: token)
        return "\(expires).\(digest).\(mac("\(expires).\(digest)"))"
    }

    /// The `Set-Cookie` header that starts a session.
    func setCookie(forToken token: String, secure: Bool) -> String {
        "\(Self.cookieName)=\(cookieValue(forToken: token)); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(lifetime.components.seconds)"
            + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` header that ends a session.
    static let clearCookie = "\(cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"

    /// The token digest a valid, unexpired cookie value names; `nil` otherwise.
    func tokenDigest(fromCookie value: String, now: Date = Date()) -> String? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let expires = Int64(parts[0]), expires >= Int64(now.timeIntervalSince1970),
            Self.constantTimeEqual(mac("\(parts[0]).\(parts[1])"), parts[2])
        else { return nil }
        return parts[1]
    }

    /// The session cookie's value in a `Cookie` header, if any.
    static func cookie(in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(cookieName + "=") { return String(trimmed.dropFirst(cookieName.count + 1)) }
        }
        return nil
    }

    /// The CSRF token of forms shown to the holder of a session (or to everyone when sign-in is off).
    func csrfToken(forSession digest: String?) -> String {
        mac("csrf|\(digest ?? "open")")
    }

    /// Whether a submitted CSRF token belongs to the session.
    func checkCSRF(_ submitted: String?, session digest: String?) -> Bool {
        guard let submitted else { return false }
        return Self.constantTimeEqual(csrfToken(forSession: digest), submitted)
    }

    // MARK: One-time codes

    /// A code that signs in as `token` once, within `codeLifetime`.
    func mintCode(forToken token: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let code = (0..<24).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let now = ContinuousClock.now
        lock.withLock {
            codes = codes.filter { $0.value.expires > now }
            codes[code] = (token, now + codeLifetime)
        }
        return code
    }

    /// The token a code stands for, consuming the code; `nil` for an unknown, used or expired code.
    func redeem(code: String) -> String? {
        lock.withLock {
            guard let entry = codes.removeValue(forKey: code), entry.expires > .now else { return nil }
            return entry.token
        }
    }

    // MARK: Helpers

    /// The hex SHA-256 of a token, first 32 characters: how sessions name tokens.
    static func digest(of token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    private func mac(_ message: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
