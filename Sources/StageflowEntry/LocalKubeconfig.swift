import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The kubeconfig `stageflow up --generate-tls` writes to `<data-dir>/kubeconfig`: the server's HTTPS URL, the
/// generated CA to trust and the admin token, so `kubectl --kubeconfig <data-dir>/kubeconfig get scanjobs` works
/// with nothing else. Readable by its owner only, as the token file is.
enum LocalKubeconfig {
    /// The kubeconfig text.
    static func text(server: String, authority: Data, token: String?) -> String {
        let credentials = token.map { "token: \($0)" } ?? "{}"
        return """
            apiVersion: v1
            kind: Config
            clusters:
              - name: stageflow
                cluster:
                  server: \(server)
                  certificate-authority-data: \(authority.base64EncodedString())
            users:
              - name: stageflow-admin
                user:
                  \(credentials)
            contexts:
              - name: stageflow
                context:
                  cluster: stageflow
                  user: stageflow-admin
            current-context: stageflow

            """
    }

    /// Writes the kubeconfig to `file` (mode 0600), replacing an older one whole.
    static func write(to file: URL, server: String, authorityFile: URL, token: String?) throws {
        let authority = try Data(contentsOf: authorityFile)
        let partial = file.deletingLastPathComponent().appendingPathComponent(".kubeconfig.partial")
        try? FileManager.default.removeItem(at: partial)
        guard
            FileManager.default.createFile(
                atPath: partial.path, contents: Data(text(server: server, authority: authority, token: token).utf8),
                attributes: [.posixPermissions: 0o600])
        else { throw LocalCredentialsError("cannot write \(partial.path)") }
        guard rename(partial.path, file.path) == 0 else {
            throw LocalCredentialsError("cannot replace \(file.path): \(String(cString: strerror(errno)))")
        }
    }
}
