import Foundation
import StageflowHTTP

/// JSON requests to a Kubernetes API server over libcurl, authenticated as its `KubernetesConnection` says.
/// Answers other than 2xx become `KubernetesAPIError` with the `Status` the server sent.
public struct KubernetesAPI: Sendable {
    /// Where the server is and how to authenticate.
    public let connection: KubernetesConnection
    let http: HTTPClient
    let execCredentials: ExecCredentialCache

    /// A client for `connection`.
    public init(connection: KubernetesConnection) {
        self.connection = connection
        var configuration = HTTPClient.Configuration(
            timeout: .seconds(30), userAgent: "stageflow", useEnvironmentProxy: false,
            caBundlePath: connection.certificateAuthorityFile, insecureSkipTLSVerify: connection.insecureSkipTLSVerify)
        if case .clientCertificate(let certificate, let key) = connection.credentials {
            configuration.clientCertificatePath = certificate
            configuration.clientKeyPath = key
        }
        http = HTTPClient(configuration: configuration)
        execCredentials = ExecCredentialCache()
    }

    /// Sends a request to `path` (with `query`), a JSON or merge-patch `body`; the response, whatever its status.
    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [String: Any]? = nil,
        contentType: String = "application/json", timeout: Duration? = nil
    ) async throws -> HTTPResponse {
        var request = HTTPRequest(method: method, url: try url(path, query: query), headers: ["Accept": "application/json"], timeout: timeout)
        if let body {
            request.body = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            request.headers["Content-Type"] = contentType
        }
        if let token = try await bearerToken() { request.headers["Authorization"] = "Bearer \(token)" }
        return try await http.send(request)
    }

    /// As `send`, for a JSON object answer; throws `KubernetesAPIError` unless the status is 2xx.
    func object(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [String: Any]? = nil,
        contentType: String = "application/json"
    ) async throws -> [String: Any] {
        let response = try await send(method, path, query: query, body: body, contentType: contentType)
        let decoded = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        guard (200..<300).contains(response.status) else {
            throw KubernetesAPIError(status: response.status, body: decoded, request: "\(method) \(path)")
        }
        return decoded ?? [:]
    }

    /// A watch from `resourceVersion`: each event's type and object as they arrive, until the server ends it.
    func watch(_ path: String, query: [(String, String)]) async throws -> AsyncThrowingStream<KubernetesWatchEvent, any Error> {
        var request = HTTPRequest(url: try url(path, query: query + [("watch", "true")]), headers: ["Accept": "application/json"])
        if let token = try await bearerToken() { request.headers["Authorization"] = "Bearer \(token)" }
        let response = try await http.stream(request)
        guard response.isSuccess else {
            let body = (try? JSONSerialization.jsonObject(with: try await response.collect())) as? [String: Any]
            throw KubernetesAPIError(status: response.status, body: body, request: "watch \(path)")
        }
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await line in response.lines where !line.isEmpty {
                        guard let event = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                            let type = event["type"] as? String, let object = event["object"] as? [String: Any]
                        else { continue }
                        continuation.yield(KubernetesWatchEvent(type: type, object: object))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in
                task.cancel()
                response.cancel()
            }
        }
    }

    private func url(_ path: String, query: [(String, String)]) throws -> URL {
        var components = URLComponents(url: connection.server, resolvingAgainstBaseURL: false)
        let prefix = (components?.percentEncodedPath ?? "").trimmingSuffix("/")
        components?.percentEncodedPath = prefix + path
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.url else { throw KubernetesConfigurationError("\(connection.server)\(path): not a URL") }
        return url
    }

    /// The bearer token to send now: fixed, read from its file (rotation), or from the exec plugin's cache.
    public func bearerToken() async throws -> String? {
        switch connection.credentials {
        case .none, .clientCertificate: return nil
        case .token(let token): return token
        case .tokenFile(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw KubernetesConfigurationError("\(path): the token file cannot be read")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .exec(let command, let arguments, let environment):
            return try await execCredentials.token(command: command, arguments: arguments, environment: environment)
        }
    }
}

/// One event of a watch: `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`, and the object (for `ERROR`, a
/// `Status`). The object is read, never changed, after the event is made.
struct KubernetesWatchEvent: @unchecked Sendable {
    let type: String
    let object: [String: Any]
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// An answer of the Kubernetes API other than 2xx: the status code and the `Status` reason and message.
public struct KubernetesAPIError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status (404, 409, 410, 422, …).
    public let status: Int
    /// The `Status` reason (`NotFound`, `AlreadyExists`, `Conflict`, `Expired`, `Invalid`, …).
    public let reason: String
    /// The server's message.
    public let message: String
    /// The request, `METHOD path`.
    public let request: String

    init(status: Int, body: [String: Any]?, request: String) {
        self.status = status
        reason = body?["reason"] as? String ?? "HTTP\(status)"
        message = body?["message"] as? String ?? "the server answered \(status)"
        self.request = request
    }

    public var description: String { "\(request): \(status) \(reason): \(message)" }
}
