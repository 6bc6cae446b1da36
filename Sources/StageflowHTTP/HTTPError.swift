/// A request that did not produce an HTTP response: the server could not be reached, the exchange timed out,
/// was cancelled or broke off. It names the request and carries curl's own explanation.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure it was.
    public enum Kind: Sendable, Hashable {
        /// The host could not be resolved, the connection was refused, or the connect filter refused the
        /// address (`blockedAddress` is then set).
        case couldNotConnect
        /// The connect or total timeout elapsed.
        case timedOut
        /// The caller cancelled the transfer.
        case cancelled
        /// The request could not be set up (a bad URL or option).
        case invalidRequest
        /// The connection broke, TLS failed, or the response was malformed.
        case transfer
    }

    /// What kind of failure it was.
    public let kind: Kind
    /// The request method.
    public let method: String
    /// The request URL.
    public let url: String
    /// The `CURLcode`, when curl reported the failure.
    public let curlCode: Int?
    /// curl's explanation (`Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server`).
    public let message: String
    /// The address the request's connect filter refused (`127.0.0.1`, `::1`), when that is why it failed.
    public let blockedAddress: String?

    /// An error.
    public init(
        kind: Kind, method: String, url: String, curlCode: Int? = nil, message: String, blockedAddress: String? = nil
    ) {
        self.kind = kind
        self.method = method
        self.url = url
        self.curlCode = curlCode
        self.message = message
        self.blockedAddress = blockedAddress
    }

    /// `GET http://host/path: <curl's explanation>`.
    public var description: String { "\(method) \(url): \(message)" }
}
