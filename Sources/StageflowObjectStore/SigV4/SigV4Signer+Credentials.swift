extension SigV4Signer {
    /// An access key pair, with the session token of temporary credentials. Its description never shows the
    /// secret or the token.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        /// The access key id (`AKIA…`), sent in the clear as part of the credential scope.
        public var accessKeyID: String
        /// The secret key, only ever used to derive signing keys.
        public var secretAccessKey: String
        /// The session token of temporary (STS) credentials.
        public var sessionToken: String?

        /// Credentials.
        public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }

        /// The access key id, and whether a session token is set.
        public var description: String {
            "access key \(accessKeyID)" + (sessionToken == nil ? "" : " with a session token")
        }
    }
}
