import Foundation
import Yams

/// The bearer tokens the server accepts, read from the YAML file given with `--auth-token-file`:
///
/// ```yaml
/// tokens:
///   - token: 3f1c…        # at least 16 characters
///     user: alice
///     namespaces: [team-a] # or ["*"] for every namespace
///     role: editor         # viewer | editor | admin | controller
/// ```
public struct AccessTokens: Sendable {
    /// One entry of the file.
    public struct Grant: Sendable, Hashable {
        /// The secret the client sends as `Authorization: Bearer <token>`.
        public var token: String
        /// Who the token belongs to: named in audit lines and rate-limited as one.
        public var principal: Principal

        /// A grant.
        public init(token: String, user: String, namespaces: Set<String>, role: AccessRole) {
            self.token = token
            self.principal = Principal(user: user, role: role, namespaces: namespaces)
        }
    }

    /// The shortest token accepted, so that a placeholder such as `changeme` is not mistaken for a secret.
    public static let minimumTokenLength = 16

    private let byToken: [String: Principal]
    private let byDigest: [String: String]

    /// Tokens from grants; throws `AccessTokenFileError` for duplicates.
    public init(_ grants: [Grant]) throws(AccessTokenFileError) {
        var byToken: [String: Principal] = [:]
        for (index, grant) in grants.enumerated() {
            guard byToken[grant.token] == nil else {
                throw AccessTokenFileError("tokens[\(index)] (user \(grant.principal.user)): the token is already given to another entry")
            }
            byToken[grant.token] = grant.principal
        }
        self.byToken = byToken
        self.byDigest = Dictionary(byToken.keys.map { (BrowserSessions.digest(of: $0), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The principal a token stands for, or `nil` for an unknown token.
    public func principal(for token: String) -> Principal? {
        byToken[token]
    }

    /// The token a browser session names by its digest, if it is still configured.
    func token(forDigest digest: String) -> String? {
        byDigest[digest]
    }

    /// How many tokens there are.
    public var count: Int { byToken.count }

    /// Reads and validates the token file; every error names the file and the entry.
    public static func load(path: String) throws(AccessTokenFileError) -> AccessTokens {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw AccessTokenFileError("\(path): cannot be read: \(error.localizedDescription)")
        }
        do throws(AccessTokenFileError) {
            return try parse(yaml: text)
        } catch {
            throw AccessTokenFileError("\(path): \(error.message)")
        }
    }

    /// Parses the YAML text of a token file.
    public static func parse(yaml text: String) throws(AccessTokenFileError) -> AccessTokens {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw AccessTokenFileError("not valid YAML: \(error)")
        }
        guard let root = document as? [String: Any], let entries = root["tokens"] else {
            throw AccessTokenFileError("expected a mapping with a `tokens:` list")
        }
        guard let list = entries as? [Any] else { throw AccessTokenFileError("tokens: expected a list of entries") }
        var grants: [Grant] = []
        for (index, entry) in list.enumerated() {
            grants.append(try grant(entry, at: "tokens[\(index)]"))
        }
        return try AccessTokens(grants)
    }

    private static func grant(_ entry: Any, at path: String) throws(AccessTokenFileError) -> Grant {
        guard let fields = entry as? [String: Any] else {
            throw AccessTokenFileError("\(path): expected a mapping with token, user, namespaces and role")
        }
        let known: Set<String> = ["token", "user", "namespaces", "role"]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw AccessTokenFileError("\(path).\(unknown): unknown field (expected token, user, namespaces, role)")
        }
        guard let token = fields["token"] as? String, !token.isEmpty else {
            throw AccessTokenFileError("\(path).token: required, a string")
        }
        guard token.count >= minimumTokenLength, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw AccessTokenFileError(
                "\(path).token: must be at least \(minimumTokenLength) printable ASCII characters without spaces")
        }
        guard let user = fields["user"] as? String, !user.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AccessTokenFileError("\(path).user: required, a string")
        }
        guard let roleName = fields["role"] as? String else {
            throw AccessTokenFileError("\(path).role: required, one of viewer, editor, admin, controller")
        }
        guard let role = AccessRole(rawValue: roleName) else {
            throw AccessTokenFileError("\(path).role: \"\(roleName)\" is not one of viewer, editor, admin, controller")
        }
        guard let namespaceList = fields["namespaces"] as? [Any], !namespaceList.isEmpty else {
            throw AccessTokenFileError("\(path).namespaces: required, a non-empty list of namespaces or [\"*\"]")
        }
        var namespaces = Set<String>()
        for (position, value) in namespaceList.enumerated() {
            guard let namespace = value as? String, namespace == "*" || isNamespaceName(namespace) else {
                throw AccessTokenFileError(
                    "\(path).namespaces[\(position)]: \"\(value)\" is neither \"*\" nor a valid namespace name")
            }
            namespaces.insert(namespace)
        }
        if role == .controller, namespaces != ["*"] {
            throw AccessTokenFileError("\(path).namespaces: the controller role is granted for every namespace only: [\"*\"]")
        }
        return Grant(token: token, user: user, namespaces: namespaces, role: role)
    }

    /// An RFC 1123 label, as namespace names are.
    private static func isNamespaceName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 63, let first = name.first, let last = name.last else { return false }
        let allowed = name.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
        return allowed && first != "-" && last != "-"
    }
}

/// A token file that cannot be used, with the file, the entry and the field at fault.
public struct AccessTokenFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and where.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
