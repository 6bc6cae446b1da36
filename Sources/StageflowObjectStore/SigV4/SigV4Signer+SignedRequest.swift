extension SigV4Signer {
    /// The outcome of signing: the request to send and every intermediate value of the computation.
    public struct SignedRequest: Sendable, Hashable {
        /// The request with the signing headers (or, when presigned, query parameters) added.
        public var request: Request
        /// The canonical request that was hashed.
        public var canonicalRequest: String
        /// The string that was signed.
        public var stringToSign: String
        /// The `;`-separated lower-case names of the signed headers.
        public var signedHeaders: String
        /// The hex signature.
        public var signature: String
        /// The `Authorization` header value; `nil` for a presigned request.
        public var authorization: String?
    }
}
