import Foundation

/// A cookie as a `Set-Cookie` header sets it: name and the attributes the Observatory grades.
public struct SetCookie: Sendable, Hashable {
    /// The cookie name.
    public var name: String
    /// `Secure` is set.
    public var secure: Bool
    /// `HttpOnly` is set.
    public var httpOnly: Bool
    /// `strict`, `lax` or `none`; `nil` when absent or not one of those.
    public var sameSite: String?
    /// A `SameSite` attribute is present with a value other than Strict, Lax or None (or none at all).
    public var sameSiteInvalid: Bool

    /// Parses one `Set-Cookie` value; `nil` when it names no cookie.
    public init?(header: String) {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { return nil }
        let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        self.name = name
        secure = false
        httpOnly = false
        sameSite = nil
        sameSiteInvalid = false
        for attribute in parts.dropFirst() {
            let pieces = attribute.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
            let value = pieces.count > 1 ? pieces[1].trimmingCharacters(in: .whitespaces).lowercased() : nil
            switch key {
            case "secure": secure = true
            case "httponly": httpOnly = true
            case "samesite":
                if let value, ["strict", "lax", "none"].contains(value) {
                    sameSite = value
                } else {
                    sameSite = nil
                    sameSiteInvalid = true
                }
            default: break
            }
        }
    }

    /// The name suggests a session or login cookie.
    public var isSession: Bool {
        let lowered = name.lowercased()
        return lowered.contains("login") || lowered.contains("sess")
    }

    /// The name suggests an anti-CSRF token.
    public var isAntiCSRF: Bool { name.lowercased().contains("csrf") }
}
