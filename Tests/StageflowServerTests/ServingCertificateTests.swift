import Foundation
import StageflowServer
import Testing

@Suite("Generated serving certificate and client-certificate grants")
struct ServingCertificateTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-tls-unit-\(UUID().uuidString)")

    @Test("a CA and a serving certificate naming loopback and the given hosts, keys readable by the owner only")
    func makes() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try GeneratedServingCertificate.ensure(in: directory, hosts: ["stageflow.internal", "10.0.0.7"])
        for file in [files.authorityFile, files.certificateFile, files.privateKeyFile] {
            #expect(FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent)")
        }
        let keyMode = try FileManager.default.attributesOfItem(atPath: files.privateKeyFile.path)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        // openssl reads what was written: the SANs, and that the CA signed the serving certificate.
        let text = try run("/usr/bin/openssl", ["x509", "-noout", "-text", "-in", files.certificateFile.path]).output
        for name in ["DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1", "DNS:stageflow.internal", "IP Address:10.0.0.7"] {
            #expect(text.contains(name), "\(name) in \(text)")
        }
        #expect(text.contains("TLS Web Server Authentication"))
        let verified = try run("/usr/bin/openssl", ["verify", "-CAfile", files.authorityFile.path, files.certificateFile.path])
        #expect(verified.output.contains(": OK"), "\(verified.output)")
    }

    @Test("the CA is kept across starts; the serving certificate is made again only for a host it does not name")
    func keepsAuthority() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try GeneratedServingCertificate.ensure(in: directory, hosts: ["a.example"])
        let authority = try Data(contentsOf: first.authorityFile)
        let certificate = try Data(contentsOf: first.certificateFile)
        _ = try GeneratedServingCertificate.ensure(in: directory, hosts: ["a.example"])
        #expect(try Data(contentsOf: first.certificateFile) == certificate, "nothing changed, nothing made")
        _ = try GeneratedServingCertificate.ensure(in: directory, hosts: ["b.example"])
        #expect(try Data(contentsOf: first.authorityFile) == authority, "the CA stays, so kubeconfigs stay valid")
        #expect(try Data(contentsOf: first.certificateFile) != certificate)
    }

    @Test("the token file's clientCertificates give certificate users their role; mistakes name the entry")
    func certificateGrants() throws {
        let tokens = try AccessTokens.parse(
            yaml: """
                tokens:
                  - {token: 0123456789abcdef0123, user: alice, namespaces: [team-a], role: editor}
                clientCertificates:
                  - {user: ci-bot, namespaces: ["*"], role: viewer}
                """)
        #expect(tokens.principal(forCertificateUser: "ci-bot")?.role == .viewer)
        #expect(tokens.principal(forCertificateUser: "alice") == nil, "a token's user is not a certificate user")
        #expect(tokens.principal(for: "0123456789abcdef0123")?.user == "alice")
        let onlyCertificates = try AccessTokens.parse(yaml: "clientCertificates:\n  - {user: bot, namespaces: [a], role: viewer}\n")
        #expect(onlyCertificates.count == 0 && onlyCertificates.principal(forCertificateUser: "bot") != nil)
        for (yaml, message) in [
            ("clientCertificates:\n  - {user: bot, namespaces: [a], role: viewer, token: xyz}\n", "clientCertificates[0].token: unknown field"),
            ("clientCertificates:\n  - {user: bot, namespaces: [a], role: boss}\n", "clientCertificates[0].role"),
            ("clientCertificates:\n  - {user: bot, namespaces: [a], role: viewer}\n  - {user: bot, namespaces: [b], role: viewer}\n", "clientCertificates[1]"),
            ("tokens: []\nclients: []\n", "clients: unknown field"),
        ] {
            #expect(throws: AccessTokenFileError.self) { _ = try AccessTokens.parse(yaml: yaml) }
            do {
                _ = try AccessTokens.parse(yaml: yaml)
            } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
