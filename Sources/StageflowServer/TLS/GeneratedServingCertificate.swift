import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
    import Glibc
#endif

/// A certificate authority and the serving certificate it signs, kept as PEM files in one directory, for a server
/// that has no certificate of its own (`stageflow up --generate-tls` keeps them in `<data-dir>/tls`). The CA is
/// made once and kept, so kubeconfigs that trust it stay valid; the serving certificate is made again when it
/// does not name every host the server answers for or expires within 30 days. Keys are P-256, readable by their
/// owner only.
public struct GeneratedServingCertificate: Sendable {
    /// The directory holding the files.
    public let directory: URL
    /// The CA certificate clients trust (`ca.crt`).
    public var authorityFile: URL { directory.appendingPathComponent("ca.crt") }
    /// The CA's private key (`ca.key`).
    var authorityKeyFile: URL { directory.appendingPathComponent("ca.key") }
    /// The serving certificate (`server.crt`).
    public var certificateFile: URL { directory.appendingPathComponent("server.crt") }
    /// The serving certificate's private key (`server.key`).
    public var privateKeyFile: URL { directory.appendingPathComponent("server.key") }

    /// The files in `directory`, made or renewed as needed so the serving certificate names every one of
    /// `hosts` (names and IP addresses).
    public static func ensure(in directory: URL, hosts: [String], now: Date = Date()) throws -> GeneratedServingCertificate {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let files = GeneratedServingCertificate(directory: directory)
        let authority = try files.loadOrMakeAuthority(now: now)
        if try !files.servingCertificateCovers(hosts, now: now) {
            try files.makeServingCertificate(for: hosts, authority: authority, now: now)
        }
        return files
    }

    private func loadOrMakeAuthority(now: Date) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        if let certificateText = try? String(contentsOf: authorityFile, encoding: .utf8),
            let keyText = try? String(contentsOf: authorityKeyFile, encoding: .utf8)
        {
            do {
                return (try Certificate(pemEncoded: certificateText), try P256.Signing.PrivateKey(pemRepresentation: keyText))
            } catch {
                throw ServerTLSError("\(authorityFile.path) or \(authorityKeyFile.path) is unusable (\(error)); delete both to have a new CA made")
            }
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("Stageflow")
            CommonName("Stageflow local CA \(UUID().uuidString.prefix(8).lowercased())")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86_400), issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: .init(key))
        try Self.write(key.pemRepresentation, to: authorityKeyFile, mode: 0o600)
        try Self.write(certificate.serializeAsPEM().pemString, to: authorityFile, mode: 0o644)
        return (certificate, key)
    }

    private func servingCertificateCovers(_ hosts: [String], now: Date) throws -> Bool {
        guard let text = try? String(contentsOf: certificateFile, encoding: .utf8),
            FileManager.default.isReadableFile(atPath: privateKeyFile.path),
            let certificate = try? Certificate(pemEncoded: text),
            certificate.notValidAfter > now.addingTimeInterval(30 * 86_400),
            let names = try? certificate.extensions.subjectAlternativeNames
        else { return false }
        let present = Set(names.map { "\($0)" })
        return try Self.generalNames(hosts).allSatisfy { present.contains("\($0)") }
    }

    private func makeServingCertificate(
        for hosts: [String], authority: (certificate: Certificate, key: P256.Signing.PrivateKey), now: Date
    ) throws {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("Stageflow")
            CommonName("stageflow")
        }
        let names = try Self.generalNames(hosts)
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(365 * 86_400), issuer: authority.certificate.subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: Certificate.PublicKey(authority.key.publicKey)).keyIdentifier)
            },
            issuerPrivateKey: .init(authority.key))
        try Self.write(key.pemRepresentation, to: privateKeyFile, mode: 0o600)
        try Self.write(certificate.serializeAsPEM().pemString, to: certificateFile, mode: 0o644)
    }

    /// `localhost` and the loopback addresses always, then every given host: IP literals as addresses, the rest
    /// as DNS names. Unspecified addresses (`0.0.0.0`, `::`) name no host and are left out.
    static func generalNames(_ hosts: [String]) throws -> [GeneralName] {
        var names: [GeneralName] = []
        var seen = Set<String>()
        for host in ["localhost", "127.0.0.1", "::1"] + hosts where !host.isEmpty && host != "0.0.0.0" && host != "::" {
            let trimmed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            guard seen.insert(trimmed.lowercased()).inserted else { continue }
            if let bytes = ipAddressBytes(trimmed) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
            } else {
                names.append(.dnsName(trimmed.lowercased()))
            }
        }
        return names
    }

    /// The 4 or 16 bytes of an IP literal, `nil` for a name.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// Writes `text` to `file` with `mode`, replacing it whole (a reader never sees half a key).
    static func write(_ text: String, to file: URL, mode: Int) throws {
        let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: partial)
        guard FileManager.default.createFile(atPath: partial.path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw ServerTLSError("cannot write \(partial.path)")
        }
        guard rename(partial.path, file.path) == 0 else {
            throw ServerTLSError("cannot replace \(file.path): \(String(cString: strerror(errno)))")
        }
    }
}
