import Foundation
import StageflowServer

#if canImport(Glibc)
    import Glibc
#endif

/// The tokens `stageflow up` keeps in its data directory when no token file is given, so that a default install
/// is never open: `admin-token` (role admin, every namespace) for people, `stageflowctl` and the workbench's
/// sign-in, and `controller-token` (role controller) for a `stageflow controller` run beside it. Each is created
/// once, readable by its owner only (0600), and reused on every later start.
struct LocalCredentials {
    /// The admin token's file.
    let adminTokenFile: URL
    /// The controller token's file.
    let controllerTokenFile: URL
    /// The admin token.
    let adminToken: String
    /// The controller token.
    let controllerToken: String

    /// Reads the tokens in `directory`, creating the missing ones.
    static func ensure(in directory: URL) throws -> LocalCredentials {
        let admin = directory.appendingPathComponent("admin-token")
        let controller = directory.appendingPathComponent("controller-token")
        return LocalCredentials(
            adminTokenFile: admin, controllerTokenFile: controller, adminToken: try token(at: admin),
            controllerToken: try token(at: controller))
    }

    /// The grants the server accepts for them.
    func tokens() throws -> AccessTokens {
        try AccessTokens([
            .init(token: adminToken, user: "admin", namespaces: ["*"], role: .admin),
            .init(token: controllerToken, user: "controller", namespaces: ["*"], role: .controller),
        ])
    }

    /// The token in `file`, or a new random one written there (exclusively, mode 0600).
    static func token(at file: URL) throws -> String {
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.count >= AccessTokens.minimumTokenLength else {
                throw LocalCredentialsError("\(file.path) holds no usable token; delete it to have a new one made")
            }
            return token
        }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return try self.token(at: file) }
            throw LocalCredentialsError("cannot create \(file.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let line = Array((token + "\n").utf8)
        guard write(descriptor, line, line.count) == line.count else {
            throw LocalCredentialsError("cannot write \(file.path): \(String(cString: strerror(errno)))")
        }
        return token
    }
}

/// A token file in the data directory that cannot be used.
struct LocalCredentialsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
