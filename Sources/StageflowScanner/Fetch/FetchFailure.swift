/// Why a fetch produced no final response.
public struct FetchFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure a page or link can meet.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The per-request time limit elapsed.
        case timeout
        /// DNS failed or the connection was refused.
        case unreachable
        /// The TLS handshake or certificate check failed.
        case tls
        /// The fetch policy refused a URL on the way.
        case blocked
        /// A redirect led back to a URL already on the chain.
        case redirectLoop
        /// More redirects than allowed.
        case tooManyRedirects
        /// A redirect had no usable `Location`, or the URL could not be requested.
        case invalidURL
        /// The connection broke or the response was malformed.
        case transfer
    }

    /// What kind of failure.
    public let kind: Kind
    /// What happened, in words.
    public let message: String

    /// A failure.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
