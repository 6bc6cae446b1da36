import Foundation
import StageflowTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `stageflow apiserver` started for real on a PostgreSQL database, on a free loopback port, with one admin token.
final class APIServerReplica: @unchecked Sendable {
    static let token = "replica-e2e-admin-token-0123456789"
    /// The token of the controllers (role controller: they alone publish the built-in scanners).
    static let controllerToken = "replica-e2e-controller-token-0123456789"
    let process: BackgroundProcess
    let url: String

    init(databaseURL: String) throws {
        let tokens = try temporaryFile(
            "tokens.yaml", "tokens:\n  - {token: \(Self.token), user: operator, namespaces: [\"*\"], role: admin}\n"
                + "  - {token: \(Self.controllerToken), user: system:controller, namespaces: [\"*\"], role: controller}\n")
        process = try BackgroundProcess(
            Binaries.stageflow,
            ["apiserver", "--database-url", databaseURL, "--listen", "127.0.0.1:0", "--auth-token-file", tokens, "--job-rate-limit", "0",
             "--allow-private-targets", "--log-level", "warning"])
        guard process.output.wait(for: "serving at ", seconds: 60),
            let line = process.output.text.split(separator: "\n").first(where: { $0.contains("serving at ") }),
            let range = line.range(of: "http")
        else {
            process.stop()
            throw E2EError("stageflow apiserver did not start: \(process.output.text) \(process.errors.text)")
        }
        url = String(line[range.lowerBound...].prefix { !$0.isWhitespace })
    }

    /// SIGKILL: the process gets no chance to finish anything.
    func kill() {
        Foundation.kill(process.process.processIdentifier, SIGKILL)
        process.process.waitUntilExit()
    }
}

/// The API over plain HTTP with URLSession, as any client would use it.
struct ReplicaClient: @unchecked Sendable {
    let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 16
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    static let scanJobs = "/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs"

    /// Sends a request; the status code and the decoded JSON body.
    func send(_ method: String, _ url: String, body: [String: Any]? = nil) async throws -> (status: Int, body: [String: Any]) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(APIServerReplica.token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    /// A suspended ScanJob of an IP-literal target (no name lookups in the measured path).
    static func job(_ name: String) -> [String: Any] {
        [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob", "metadata": ["name": name],
            "spec": ["suspend": true, "target": ["urls": ["https://93.184.215.14/"]], "scanners": [["name": "security-headers"]]],
        ]
    }

    /// Creates a ScanJob through `server`; its resourceVersion once the server acknowledged it.
    func create(_ name: String, on server: String) async throws -> Int64 {
        let (status, body) = try await send("POST", server + Self.scanJobs, body: Self.job(name))
        guard status == 201, let version = ((body["metadata"] as? [String: Any])?["resourceVersion"] as? String).flatMap(Int64.init)
        else { throw E2EError("create \(name) on \(server): \(status) \(body)") }
        return version
    }

    /// Registers the scanner the jobs name (a bare API server has no controller to publish the built-ins).
    func registerScanner(on server: String) async throws {
        let scanner: [String: Any] = [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner", "metadata": ["name": "security-headers"],
            "spec": ["id": "security-headers", "version": "1.0.0", "entry": ["builtin": "security-headers"]],
        ]
        let (status, body) = try await send("POST", server + "/apis/stageflow.dev/v1alpha1/scanners", body: scanner)
        guard status == 201 || status == 409 else { throw E2EError("scanner: \(status) \(body)") }
    }

    /// The list's resourceVersion: where a watch of everything after now starts.
    func listVersion(on server: String) async throws -> String {
        let (status, body) = try await send("GET", server + Self.scanJobs)
        guard status == 200, let version = (body["metadata"] as? [String: Any])?["resourceVersion"] as? String else {
            throw E2EError("list: \(status) \(body)")
        }
        return version
    }
}

/// A watch of the default namespace's ScanJobs through `curl -N` from `resourceVersion`: every event line, in the
/// order it arrived.
final class ReplicaWatch: @unchecked Sendable {
    let process: BackgroundProcess

    init(server: String, from resourceVersion: String) throws {
        process = try BackgroundProcess(
            "/usr/bin/curl",
            ["-sN", "-H", "Authorization: Bearer \(APIServerReplica.token)",
             server + ReplicaClient.scanJobs + "?watch=true&resourceVersion=\(resourceVersion)&timeoutSeconds=1800"])
    }

    /// Each ADDED or MODIFIED event's (name, resourceVersion), in arrival order.
    var events: [(name: String, version: Int64)] {
        process.output.text.split(separator: "\n").compactMap { line in
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let metadata = (event["object"] as? [String: Any])?["metadata"] as? [String: Any],
                let name = metadata["name"] as? String,
                let version = (metadata["resourceVersion"] as? String).flatMap(Int64.init)
            else { return nil }
            return (name, version)
        }
    }

    /// How many lines (events) have arrived so far.
    var lineCount: Int { process.output.text.utf8.reduce(0) { $1 == 10 ? $0 + 1 : $0 } }

    func stop() { process.stop(grace: 1) }
}
