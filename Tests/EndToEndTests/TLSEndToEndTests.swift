import Foundation
import StageflowTestSupport
import Testing

/// HTTPS serving: client-certificate authentication with kubectl, a certificate replaced on disk served without a
/// restart, and bad TLS files refused at start-up. Certificates come from the openssl command line, as an
/// operator's own CA would.
@Suite("TLS serving and client certificates", .serialized)
struct TLSEndToEndTests {
    /// A scratch directory of keys and certificates made with openssl.
    struct Certificates {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        func openssl(_ arguments: [String]) throws {
            let result = try run("/usr/bin/openssl", arguments)
            guard result.status == 0 else { throw E2EError("openssl \(arguments.joined(separator: " ")): \(result)") }
        }

        /// A self-signed CA: `<name>.crt`, `<name>.key`.
        func authority(_ name: String) throws {
            try openssl([
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("\(name).key"),
                "-out", path("\(name).crt"), "-days", "2", "-subj", "/CN=\(name)",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        }

        /// A certificate for `commonName` signed by the CA `issuer`, with the given extensions: `<name>.crt`, `<name>.key`.
        func leaf(_ name: String, commonName: String, issuer: String, extensions: String) throws {
            try openssl([
                "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("\(name).key"), "-out",
                path("\(name).csr"), "-subj", "/CN=\(commonName)",
            ])
            try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
            try openssl([
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(issuer).crt"), "-CAkey", path("\(issuer).key"),
                "-set_serial", "\(UInt32.random(in: 1...UInt32.max))", "-days", "2", "-extfile", path("\(name).ext"), "-out",
                path("\(name).crt"),
            ])
        }

        func client(_ name: String, commonName: String, issuer: String) throws {
            try leaf(name, commonName: commonName, issuer: issuer, extensions: "extendedKeyUsage=clientAuth\n")
        }

        func server(_ name: String, issuer: String) throws {
            try leaf(
                name, commonName: "stageflow", issuer: issuer,
                extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        }
    }

    static let kubectlPath = Binaries.onPath("kubectl")

    func kubectl(_ server: StageflowUp, certificate: String, key: String, authority: String, _ arguments: [String]) throws -> CommandResult {
        guard let kubectl = Self.kubectlPath else { throw E2EError("kubectl is not on PATH") }
        let home = server.dataDirectory.appendingPathComponent("kube-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return try run(
            kubectl,
            [
                "--server", server.url, "--certificate-authority", authority, "--client-certificate", certificate, "--client-key", key,
                "--cache-dir", home.appendingPathComponent("cache").path,
            ] + arguments,
            environment: ["HOME": home.path, "KUBECONFIG": home.appendingPathComponent("none").path])
    }

    @Test(
        "a client certificate from --client-ca-file acts as its clientCertificates user; others are refused",
        .enabled(if: kubectlPath != nil, "needs kubectl"))
    func clientCertificates() throws {
        let certificates = try Certificates()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        try certificates.authority("clients")
        try certificates.authority("rogue")
        try certificates.client("ci-bot", commonName: "ci-bot", issuer: "clients")
        try certificates.client("stranger", commonName: "stranger", issuer: "clients")
        try certificates.client("forged", commonName: "ci-bot", issuer: "rogue")
        let adminToken = "tls-e2e-admin-token-0123456789"
        let tokens = try temporaryFile(
            "tokens.yaml",
            """
            tokens:
              - {token: \(adminToken), user: admin, namespaces: ["*"], role: admin}
            clientCertificates:
              - {user: ci-bot, namespaces: [default], role: editor}
            """)
        let server = try StageflowUp(
            extraArguments: ["--generate-tls", "--auth-token-file", tokens, "--client-ca-file", certificates.path("clients.crt")])
        defer { _ = server.stop() }
        let authority = server.dataDirectory.appendingPathComponent("tls/ca.crt").path

        let job = try temporaryFile("job.yaml", scanJobYAML(name: "by-cert", urls: ["https://example.com/"], suspend: true))
        let applied = try kubectl(
            server, certificate: certificates.path("ci-bot.crt"), key: certificates.path("ci-bot.key"), authority: authority,
            ["apply", "-f", job])
        #expect(applied.status == 0, "\(applied)")
        #expect(applied.stdout.contains("scanjob.stageflow.dev/by-cert created"), "\(applied)")

        // The editor role of the certificate's user decides: Scanners are beyond an editor.
        let scanner = try temporaryFile(
            "scanner.yaml",
            "apiVersion: stageflow.dev/v1alpha1\nkind: Scanner\nmetadata: {name: custom}\nspec: {id: custom, version: 1.0.0, entry: {builtin: seo}}\n")
        let forbidden = try kubectl(
            server, certificate: certificates.path("ci-bot.crt"), key: certificates.path("ci-bot.key"), authority: authority,
            ["apply", "-f", scanner])
        #expect(forbidden.status != 0)
        #expect(forbidden.stderr.contains("forbidden") && forbidden.stderr.contains("ci-bot"), "\(forbidden)")

        // A verified certificate whose user the token file does not name: 401.
        let stranger = try kubectl(
            server, certificate: certificates.path("stranger.crt"), key: certificates.path("stranger.key"), authority: authority,
            ["get", "scanjobs"])
        #expect(stranger.status != 0)
        #expect(stranger.stderr.contains("must be logged in") || stranger.stderr.contains("Unauthorized"), "\(stranger)")
        let strangerStatus = try run(
            "/usr/bin/curl",
            ["-sS", "--cacert", authority, "--cert", certificates.path("stranger.crt"), "--key", certificates.path("stranger.key"),
             server.url + "/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs"])
        #expect(strangerStatus.stdout.contains("\"code\":401") && strangerStatus.stdout.contains("stranger"), "\(strangerStatus)")

        // The same user name signed by another CA never gets past the handshake.
        let forged = try kubectl(
            server, certificate: certificates.path("forged.crt"), key: certificates.path("forged.key"), authority: authority,
            ["get", "scanjobs"])
        #expect(forged.status != 0)
        #expect(!forged.stdout.contains("by-cert"), "\(forged)")

        // A bearer token still works beside client certificates, over the same HTTPS.
        let listed = try run(
            "/usr/bin/curl",
            ["-sS", "--cacert", authority, "-H", "Authorization: Bearer \(adminToken)", server.url + "/apis/stageflow.dev/v1alpha1/scanjobs"])
        #expect(listed.stdout.contains("by-cert"), "\(listed)")
    }

    /// The serial number of the certificate the server at `url` presents.
    func servedSerial(_ url: String) throws -> String {
        let port = url.split(separator: ":").last.map(String.init) ?? ""
        let probe = try run(
            "/bin/sh", ["-c", "openssl s_client -connect 127.0.0.1:\(port) </dev/null 2>/dev/null | openssl x509 -noout -serial"])
        return probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a certificate replaced on disk is served without a restart")
    func reloadsCertificate() throws {
        let certificates = try Certificates()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        try certificates.authority("serving-ca")
        try certificates.server("first", issuer: "serving-ca")
        try certificates.server("second", issuer: "serving-ca")
        let live = (certificate: certificates.path("live.crt"), key: certificates.path("live.key"))
        try FileManager.default.copyItem(atPath: certificates.path("first.crt"), toPath: live.certificate)
        try FileManager.default.copyItem(atPath: certificates.path("first.key"), toPath: live.key)
        let server = try StageflowUp(extraArguments: ["--tls-cert-file", live.certificate, "--tls-private-key-file", live.key])
        defer { _ = server.stop() }
        #expect(server.url.hasPrefix("https://"))
        let before = try servedSerial(server.url)
        #expect(before.hasPrefix("serial="), "\(before)")

        // Replace key first, then certificate, each by rename, as a renewal tool would.
        for (from, to) in [(certificates.path("second.key"), live.key), (certificates.path("second.crt"), live.certificate)] {
            let staged = to + ".new"
            try FileManager.default.copyItem(atPath: from, toPath: staged)
            guard rename(staged, to) == 0 else { throw E2EError("rename \(staged) to \(to) failed") }
        }
        let expected = try run("/usr/bin/openssl", ["x509", "-noout", "-serial", "-in", certificates.path("second.crt")]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var served = before
        let changed = waitUntil(seconds: 90) {
            served = (try? servedSerial(server.url)) ?? ""
            return served == expected
        }
        #expect(changed, "still serving \(served), expected \(expected)")
        #expect(server.server.process.isRunning)
        let health = try run("/usr/bin/curl", ["-sS", "--cacert", certificates.path("serving-ca.crt"), server.url + "/livez"])
        #expect(health.status == 0, "the new certificate verifies: \(health)")
    }

    @Test("unreadable or mismatched TLS files stop start-up naming the file")
    func badFiles() throws {
        let certificates = try Certificates()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        try certificates.authority("ca")
        try certificates.server("one", issuer: "ca")
        try certificates.server("two", issuer: "ca")
        let data = certificates.directory.appendingPathComponent("data").path
        let cases: [([String], String)] = [
            (["--tls-cert-file", certificates.path("missing.crt"), "--tls-private-key-file", certificates.path("one.key")], "missing.crt"),
            (["--tls-cert-file", certificates.path("one.crt"), "--tls-private-key-file", certificates.path("two.key")], "one.crt"),
            (["--tls-cert-file", certificates.path("one.crt")], "--tls-private-key-file"),
            (["--client-ca-file", certificates.path("ca.crt")], "needs HTTPS"),
        ]
        for (arguments, named) in cases {
            let refused = try run(Binaries.stageflow, ["up", "--data-dir", data, "--listen", "127.0.0.1:0"] + arguments)
            #expect(refused.status != 0, "\(arguments): \(refused)")
            #expect(refused.stderr.contains(named), "\(arguments): \(refused)")
            #expect(!refused.stdout.contains("serving at"), "\(refused)")
        }
    }
}
