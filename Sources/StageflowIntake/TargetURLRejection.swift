/// Why a target URL was refused, naming the part of the URL and the reason: `host 0177.0.0.1 is 127.0.0.1, a
/// loopback address (127.0.0.0/8); private targets are not allowed for this job`.
public struct TargetURLRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The check that failed.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case malformed, schemeNotAllowed, credentials, invalidPort, emptyHost, invalidHost, zoneIdentifier
            case unresolvable, alwaysBlockedAddress, privateAddress
        }
        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// The text is not a URL (no scheme, no `//`, spaces or control characters, a backslash in the authority).
        public static let malformed = Reason(.malformed)
        /// A scheme other than `http` or `https`.
        public static let schemeNotAllowed = Reason(.schemeNotAllowed)
        /// A user name or password (`user:pass@host`, even an empty `@`).
        public static let credentials = Reason(.credentials)
        /// A port that is empty, not digits, 0 or above 65535.
        public static let invalidPort = Reason(.invalidPort)
        /// No host.
        public static let emptyHost = Reason(.emptyHost)
        /// A host that is neither a valid name nor a valid address.
        public static let invalidHost = Reason(.invalidHost)
        /// An IPv6 zone identifier (`[fe80::1%eth0]`).
        public static let zoneIdentifier = Reason(.zoneIdentifier)
        /// The host name does not resolve.
        public static let unresolvable = Reason(.unresolvable)
        /// The host is, or resolves to, an address no policy allows.
        public static let alwaysBlockedAddress = Reason(.alwaysBlockedAddress)
        /// The host is, or resolves to, a private or loopback address and this job may not reach those.
        public static let privateAddress = Reason(.privateAddress)

        /// `privateAddress`.
        public var description: String { code.rawValue }
    }

    /// The check that failed.
    public let reason: Reason
    /// The URL as given.
    public let url: String
    /// The URL part and what is wrong with it.
    public let message: String

    /// A rejection.
    public init(_ reason: Reason, url: String, message: String) {
        self.reason = reason
        self.url = url
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
