import ArgumentParser
import Foundation
import Logging
import StageflowServer

extension UpCommand {
    /// The HTTPS settings of `stageflow up`: a CA and serving certificate made in `<data-dir>/tls` with
    /// `--generate-tls`, else the files given, else `nil` (plain HTTP). Also returns the generated CA, which the
    /// kubeconfig names.
    func servingTLS(dataDirectory: URL, logger: Logger) throws -> (serving: TLSServing?, authority: URL?) {
        guard generateTLS else { return (try TLSOptions.serving(tls.settings, logger: logger), nil) }
        let generated: GeneratedServingCertificate
        do {
            generated = try GeneratedServingCertificate.ensure(
                in: dataDirectory.appendingPathComponent("tls"), hosts: [listen.host] + access.allowedHosts)
        } catch {
            throw ValidationError("--generate-tls: \(error)")
        }
        let settings = ServerTLS(
            certificateFile: generated.certificateFile.path, privateKeyFile: generated.privateKeyFile.path,
            clientCAFile: tls.clientCAFile)
        return (try TLSOptions.serving(settings, logger: logger), generated.authorityFile)
    }

    /// Writes `<data-dir>/kubeconfig` for the server at `url`, trusting `authority` and carrying the admin token.
    static func writeKubeconfig(in dataDirectory: URL, url: String, authority: URL, token: String?) throws -> URL {
        let file = dataDirectory.appendingPathComponent("kubeconfig")
        try LocalKubeconfig.write(to: file, server: url, authorityFile: authority, token: token)
        return file
    }
}
