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
/// clientCertificates:      # with --client-ca-file: a verified client certificate acts as the user its
///   - user: ci-bot         # subject's common name names
///     namespaces: [team-a]
///     role: editor
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
    private let byCertificateUser: [String: Principal]

    /// Tokens from grants, and the grants of client certificates by their subject's common name; throws
    /// `AccessTokenFileError` for duplicates.
    public init(_ grants: [Grant], certificateUsers: [Principal] = []) throws(AccessTokenFileError) {
        var byCertificateUser: [String: Principal] = [:]
        for (index, principal) in certificateUsers.enumerated() {
            guard byCertificateUser[principal.user] == nil else {
                throw AccessTokenFileError("clientCertificates[\(index)] (user \(principal.user)): the user is already given a role")
            }
            byCertificateUser[principal.user] = principal
        }
        self.byCertificateUser = byCertificateUser
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

    /// The principal a verified client certificate stands for, by its subject's common name; `nil` when the
    /// file gives that user no role.
    public func principal(forCertificateUser user: String) -> Principal? {
        byCertificateUser[user]
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
        guard let root = document as? [String: Any], root["tokens"] != nil || root["clientCertificates"] != nil else {
            throw AccessTokenFileError("expected a mapping with a `tokens:` list (and/or a `clientCertificates:` list)")
        }
        if let unknown = root.keys.sorted().first(where: { $0 != "tokens" && $0 != "clientCertificates" }) {
            throw AccessTokenFileError("\(unknown): unknown field (expected tokens, clientCertificates)")
        }
        guard let list = (root["tokens"] ?? [Any]()) as? [Any] else { throw AccessTokenFileError("tokens: expected a list of entries") }
        var grants: [Grant] = []
        for (index, entry) in list.enumerated() {
            grants.append(try grant(entry, at: "tokens[\(index)]"))
        }
        guard let certificates = (root["clientCertificates"] ?? [Any]()) as? [Any] else {
            throw AccessTokenFileError("clientCertificates: expected a list of entries")
        }
        var certificateUsers: [Principal] = []
        for (index, entry) in certificates.enumerated() {
            guard let fields = entry as? [String: Any] else {
                throw AccessTokenFileError("clientCertificates[\(index)]: expected a mapping with user, namespaces and role")
            }
            try rejectUnknown(fields, at: "clientCertificates[\(index)]", known: ["user", "namespaces", "role"])
            certificateUsers.append(try principal(fields, at: "clientCertificates[\(index)]"))
        }
        return try AccessTokens(grants, certificateUsers: certificateUsers)
    }

    private static func grant(_ entry: Any, at path: String) throws(AccessTokenFileError) -> Grant {
        guard let fields = entry as? [String: Any] else {
            throw AccessTokenFileError("\(path): expected a mapping with token, user, namespaces and role")
        }
        try rejectUnknown(fields, at: path, known: ["token", "user", "namespaces", "role"])
        guard let token = fields["token"] as? String, !token.isEmpty else {
            throw AccessTokenFileError("\(path).token: required, a string")
        }
        guard token.count >= minimumTokenLength, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw AccessTokenFileError(
                "\(path).token: must be at least \(minimumTokenLength) printable ASCII characters without spaces")
        }
        let principal = try principal(fields, at: path)
        return Grant(token: token, user: principal.user, namespaces: principal.namespaces, role: principal.role)
    }

    /// Refuses a field of an entry that is not among `known`.
    private static func rejectUnknown(_ fields: [String: Any], at path: String, known: [String]) throws(AccessTokenFileError) {
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw AccessTokenFileError("\(path).\(unknown): unknown field (expected \(known.joined(separator: ", ")))")
        }
    }

    /// The user, role and namespaces of an entry.
    private static func principal(_ fields: [String: Any], at path: String) throws(AccessTokenFileError) -> Principal {
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
        return Principal(user: user, role: role, namespaces: namespaces)
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
