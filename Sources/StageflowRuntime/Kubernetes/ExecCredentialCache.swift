import Foundation

/// Runs a client-go exec credential plugin (`client.authentication.k8s.io/v1`) and keeps its token until the
/// expiry it states; without one, the token is asked for again after five minutes.
actor ExecCredentialCache {
    private var token: String?
    private var validUntil = Date.distantPast

    func token(command: String, arguments: [String], environment: [String: String]) throws -> String {
        if let token, Date() < validUntil { return token }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.contains("/") ? command : "/usr/bin/env")
        process.arguments = command.contains("/") ? arguments : [command] + arguments
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merged["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#
        process.environment = merged
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw KubernetesConfigurationError("exec credential plugin \(command): cannot be started: \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw KubernetesConfigurationError("exec credential plugin \(command) exited \(process.terminationStatus)")
        }
        guard let credential = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let status = credential["status"] as? [String: Any], let token = status["token"] as? String, !token.isEmpty
        else {
            throw KubernetesConfigurationError("exec credential plugin \(command) printed no ExecCredential with status.token")
        }
        let expiry = (status["expirationTimestamp"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
        self.token = token
        validUntil = expiry.map { $0.addingTimeInterval(-10) } ?? Date().addingTimeInterval(300)
        return token
    }
}
