/// HTTPS for the API server: a certificate chain and private key in PEM files, read again every
/// `reloadInterval` so a renewed certificate is served without a restart, and optionally the certificate authority
/// whose client certificates authenticate requests (as `--client-ca-file` does for kube-apiserver).
public struct ServerTLS: Sendable, Hashable {
    /// The PEM certificate chain served, leaf first (`--tls-cert-file`).
    public var certificateFile: String
    /// The PEM private key of the leaf certificate (`--tls-private-key-file`).
    public var privateKeyFile: String
    /// PEM certificates of the authorities that sign client certificates (`--client-ca-file`); `nil` asks clients
    /// for no certificate.
    public var clientCAFile: String?
    /// How often the certificate and key files are read again.
    public var reloadInterval: Duration

    /// Settings; by default no client certificates are asked for and the files are read again every 10 seconds.
    public init(certificateFile: String, privateKeyFile: String, clientCAFile: String? = nil, reloadInterval: Duration = .seconds(10)) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
        self.reloadInterval = reloadInterval
    }
}

/// TLS files that cannot be served or made: which file and what is wrong with it.
public struct ServerTLSError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, naming the file.
    public let description: String

    init(_ description: String) { self.description = description }
}
