import Foundation
import Hummingbird
import StageflowAPI

/// The defences against requests a web page makes on a visitor's behalf, applied to every request before it is
/// authenticated (see docs/security.md):
///
/// - **Host** (DNS rebinding): a page served from `evil.example` whose name is re-pointed at the server's address
///   reaches it with `Host: evil.example`. Only IP literals, `localhost` (and `*.localhost`), the listen address
///   and the names the operator configured are answered; any other name gets 421 Misdirected Request.
/// - **Cross-site writes**: a state-changing request that a browser marks `Sec-Fetch-Site: cross-site` or
///   `same-site` (a page on another port of the same host is "same-site"), or that carries an `Origin` other than
///   the server's own, is refused with 403. Tools (kubectl, curl, the client library) send neither header.
struct BrowserRequestGuard: Sendable {
    /// Host names (without port) answered besides IP literals and `localhost`.
    let allowedHosts: Set<String>

    /// A guard answering `allowedHosts` (compared case-insensitively) and the listen host.
    init(allowedHosts: [String], listenHost: String) {
        var hosts = Set(allowedHosts.map { $0.lowercased() })
        let listen = listenHost.lowercased()
        if !listen.isEmpty, listen != "0.0.0.0", listen != "::", listen != "[::]" { hosts.insert(listen) }
        self.allowedHosts = hosts
    }

    /// Throws the refusal for a request that fails a check.
    func check(_ request: Request) throws {
        let authority = request.head.authority ?? ""
        if !authority.isEmpty, !answers(authority: authority) {
            throw APIStatus(
                code: 421, reason: "MisdirectedRequest",
                message: "this server does not answer for the host \(Self.quoted(Self.hostPart(of: authority))); "
                    + "add it with --allowed-host if it is a name of this server")
        }
        guard Self.changesState(request.method) else { return }
        if let site = request.headers[Self.secFetchSite]?.lowercased(), site == "cross-site" || site == "same-site" {
            throw APIStatus(
                code: 403, reason: "Forbidden",
                message: "Forbidden: a \(site) request from a web page may not change anything on this server")
        }
        if let origin = request.headers[Self.origin] {
            guard Self.isSameOrigin(origin, authority: authority) else {
                throw APIStatus(
                    code: 403, reason: "Forbidden",
                    message: "Forbidden: requests from the web origin \(Self.quoted(origin)) may not change anything on this server")
            }
        }
    }

    /// Whether the request's host is one this server answers for.
    func answers(authority: String) -> Bool {
        let host = Self.hostPart(of: authority).lowercased()
        if host.isEmpty { return false }
        if Self.isIPLiteral(host) { return true }
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        return allowedHosts.contains(host)
    }

    /// POST, PUT, PATCH and DELETE.
    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        method == .post || method == .put || method == .patch || method == .delete
    }

    /// Whether `origin` (`scheme://host[:port]`) names this server as the request reached it.
    static func isSameOrigin(_ origin: String, authority: String) -> Bool {
        guard let components = URLComponents(string: origin), let scheme = components.scheme,
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let originAuthority = bracketed + (components.port.map { ":\($0)" } ?? "")
        return normalised(originAuthority, scheme: scheme) == normalised(authority, scheme: scheme)
    }

    /// `host:port` with the scheme's default port made explicit.
    private static func normalised(_ authority: String, scheme: String?) -> String {
        let host = hostPart(of: authority).lowercased()
        let port = portPart(of: authority) ?? (scheme == "https" ? "443" : "80")
        return "\(host):\(port)"
    }

    /// The host of `host[:port]` or `[v6][:port]`, brackets kept for IPv6.
    static func hostPart(of authority: String) -> String {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return authority }
            return String(authority[...close])
        }
        guard let colon = authority.lastIndex(of: ":") else { return authority }
        return String(authority[..<colon])
    }

    private static func portPart(of authority: String) -> String? {
        let host = hostPart(of: authority)
        let rest = authority.dropFirst(host.count)
        return rest.hasPrefix(":") ? String(rest.dropFirst()) : nil
    }

    /// An IPv4 literal in dotted-quad form or a bracketed IPv6 literal.
    static func isIPLiteral(_ host: String) -> Bool {
        if host.hasPrefix("[") && host.hasSuffix("]") {
            let inner = host.dropFirst().dropLast()
            return !inner.isEmpty && inner.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) && Int(part)! <= 255
        }
    }

    private static func quoted(_ text: String) -> String { JSONValue.string(text).jsonString() }

    static let secFetchSite = HTTPFields.Element.Name("Sec-Fetch-Site")!
    static let origin = HTTPFields.Element.Name("Origin")!
}
