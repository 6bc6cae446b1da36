import ArgumentParser
import Logging
import StageflowServer

/// HTTPS flags shared by `stageflow up` and `stageflow apiserver`, named as kube-apiserver names them.
struct TLSOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "PEM certificate chain to serve HTTPS with, read again when it changes (env STAGEFLOW_TLS_CERT_FILE).", valueName: "file"))
    var tlsCertFile: String? = Environment.string("STAGEFLOW_TLS_CERT_FILE")

    @Option(
        name: .long,
        help: ArgumentHelp("PEM private key of --tls-cert-file (env STAGEFLOW_TLS_PRIVATE_KEY_FILE).", valueName: "file"))
    var tlsPrivateKeyFile: String? = Environment.string("STAGEFLOW_TLS_PRIVATE_KEY_FILE")

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PEM certificate authorities whose client certificates authenticate requests, as the user their subject's common name names (clientCertificates in the token file; env STAGEFLOW_CLIENT_CA_FILE).",
            valueName: "file"))
    var clientCAFile: String? = Environment.string("STAGEFLOW_CLIENT_CA_FILE")

    func validate() throws {
        if (tlsCertFile == nil) != (tlsPrivateKeyFile == nil) {
            throw ValidationError("give --tls-cert-file and --tls-private-key-file together")
        }
    }

    /// The files given, as server settings; `nil` without a certificate.
    var settings: ServerTLS? {
        guard let tlsCertFile, let tlsPrivateKeyFile else { return nil }
        return ServerTLS(certificateFile: tlsCertFile, privateKeyFile: tlsPrivateKeyFile, clientCAFile: clientCAFile)
    }

    /// Checks and loads `settings` for serving; a bad file is a usage error naming it.
    static func serving(_ settings: ServerTLS?, logger: Logger) throws -> TLSServing? {
        do {
            return try settings.map { try TLSServing($0, logger: logger) }
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
