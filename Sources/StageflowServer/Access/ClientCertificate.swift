/// The client certificate a request's TLS connection presented, verified during the handshake against the CA of
/// `--client-ca-file`: a request without a bearer token acts as the user the certificate's subject common name
/// names (see `AccessTokens`), as kube-apiserver's client-certificate authentication does.
struct VerifiedClientCertificate: Sendable, Hashable {
    /// The subject's common name: the user.
    var commonName: String
}

/// Where the responder leaves the verified client certificate for the access rules, for one request.
enum ClientCertificate {
    /// The current request's verified client certificate, `nil` without one (or without TLS).
    @TaskLocal static var verified: VerifiedClientCertificate?
}
