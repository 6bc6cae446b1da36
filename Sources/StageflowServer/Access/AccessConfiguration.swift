import Foundation
import Logging

/// Who may do what on the API server: bearer tokens and their grants, anonymous reads, the per-user rate of
/// job creation, the secret that signs shareable report links, and where audit lines go.
public struct AccessConfiguration: Sendable {
    /// The accepted tokens; `nil` turns authentication off (every request may do everything, as on a
    /// single-user `stageflow up`).
    public var tokens: AccessTokens?
    /// With tokens configured, let requests without a token read (get, list, watch) every namespace.
    public var anonymousRead: Bool
    /// ScanJobs one user may create per minute (through any route); 0 turns the limit off. Applies to the users
    /// tokens name; without tokens there is no user to tell apart, and no limit.
    public var jobCreationsPerMinute: Int
    /// The HMAC-SHA256 key of signed report and artifact links; random per process unless given, so links
    /// die with a restart unless the operator pins a secret.
    public var linkSecret: Data
    /// How long a signed link is valid.
    public var linkLifetime: Duration
    /// Where the audit line of every write goes (label `stageflow.audit`).
    public var auditLogger: Logger

    /// A configuration; by default authentication is off, creations are limited to 30 per user and minute, links
    /// live an hour and the link secret is random.
    public init(
        tokens: AccessTokens? = nil, anonymousRead: Bool = false, jobCreationsPerMinute: Int = 30,
        linkSecret: Data? = nil, linkLifetime: Duration = .seconds(3600),
        auditLogger: Logger = Logger(label: "stageflow.audit")
    ) {
        self.tokens = tokens
        self.anonymousRead = anonymousRead
        self.jobCreationsPerMinute = jobCreationsPerMinute
        self.linkSecret = linkSecret ?? Self.randomSecret()
        self.linkLifetime = linkLifetime
        self.auditLogger = auditLogger
    }

    /// The link secret in a file: its bytes with surrounding whitespace trimmed, at least 32 of them, so that
    /// every server replica (and the server after a restart) signs and accepts the same links. Throws
    /// `LinkSecretError` naming the file and what is wrong.
    public static func loadLinkSecret(path: String) throws -> Data {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw LinkSecretError(description: "\(path): cannot be read")
        }
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        let trimmed = contents.drop { whitespace.contains($0) }.reversed().drop { whitespace.contains($0) }.reversed()
        guard trimmed.count >= 32 else {
            throw LinkSecretError(description: "\(path): a link secret needs at least 32 bytes, this one has \(trimmed.count)")
        }
        return Data(trimmed)
    }

    /// 32 random bytes.
    static func randomSecret() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}

/// A link-secret file that cannot be used.
public struct LinkSecretError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, with the file's path.
    public let description: String
}
