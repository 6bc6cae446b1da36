import Foundation
import StageflowAPI
import StageflowHTTP

/// A client of the Stageflow API server, speaking its Kubernetes dialect: generic operations on any
/// `ResourceKind` over `JSONValue` objects, plus typed conveniences for ScanJobs.
///
/// Answers the API gives as a `Status` (not found, invalid, conflict, …) are thrown as `APIStatus`, whose
/// message is meant for people as it is; failures to reach the server are thrown as `StageflowClientError`,
/// naming the server.
public struct StageflowClient: Sendable {
    /// The API server's base URL (`http://127.0.0.1:8080`); a path prefix is kept.
    public let server: URL
    /// A bearer token sent with every request, if set.
    public let token: String?
    /// The HTTP client underneath.
    public let http: HTTPClient

    /// The media type of the server's Table rendering, with plain JSON as the fallback.
    public static let tableMediaType = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

    /// A client of the server at `server`.
    public init(server: URL, token: String? = nil, http: HTTPClient = HTTPClient(configuration: .init(userAgent: "stageflowctl"))) {
        self.server = server
        self.token = token
        self.http = http
    }

    /// The server URL as users wrote it, without a trailing slash.
    static func displayName(of server: URL) -> String {
        var text = server.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// The URL of a collection, an object, or an object's subresource, with query parameters.
    func url(
        _ kind: ResourceKind, namespace: String?, name: String? = nil, subresource: String? = nil,
        query: [(String, String)] = []
    ) -> URL {
        var path = kind.group.isEmpty ? "/api/\(kind.version)" : "/apis/\(kind.group)/\(kind.version)"
        if kind.namespaced, let namespace {
            path += "/namespaces/\(Self.escapePathSegment(namespace))"
        }
        path += "/\(kind.plural)"
        if let name { path += "/\(Self.escapePathSegment(name))" }
        if let subresource { path += "/\(subresource)" }
        var text = Self.displayName(of: server) + path
        if !query.isEmpty {
            text += "?" + query.map { "\(Self.escapeQuery($0.0))=\(Self.escapeQuery($0.1))" }.joined(separator: "&")
        }
        // Every part is percent-encoded above, so the text is always a valid URL.
        return URL(string: text)!
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    private static func escapeQuery(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                result.append(Character(Unicode.Scalar(byte)))
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    private static func escapePathSegment(_ text: String) -> String {
        escapeQuery(text)
    }

    /// Percent-encodes one path segment: everything but the unreserved characters.
    static func escapeSegment(_ text: String) -> String {
        escapeQuery(text)
    }

    /// A request with the client's authorization and the given body and headers.
    func request(
        _ method: String, _ url: URL, body: JSONValue? = nil, contentType: String = "application/json",
        accept: String = "application/json"
    ) -> HTTPRequest {
        var headers: HTTPHeaders = ["Accept": accept]
        if let token, !token.isEmpty { headers.add("Authorization", "Bearer \(token)") }
        var data: Data?
        if let body {
            headers.add("Content-Type", contentType)
            data = body.jsonData()
        }
        return HTTPRequest(method: method, url: url, headers: headers, body: data)
    }

    /// Sends a request and returns its JSON body; a non-2xx answer is thrown as `APIStatus`.
    func perform(_ request: HTTPRequest) async throws -> JSONValue {
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch let error as HTTPError {
            throw StageflowClientError.transport(error, server: server)
        }
        guard response.isSuccess else {
            throw APIStatus(response: response.body, httpStatus: response.status)
        }
        if response.body.isEmpty { return .object([:]) }
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw StageflowClientError.malformed(
                request.summary, "the body is not JSON: \(Self.snippet(response.body))", server: server)
        }
    }

    /// The first 200 characters of a body, for error messages.
    static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty)" : text
    }

    /// The kind an object declares with `apiVersion` and `kind`.
    func kind(of object: JSONValue) throws -> ResourceKind {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kindName = object["kind"]?.stringValue ?? ""
        guard let kind = ResourceKind.forManifest(apiVersion: apiVersion, kind: kindName) else {
            throw StageflowClientError.invalidObject(
                "the object's apiVersion \"\(apiVersion)\" and kind \"\(kindName)\" are not served by Stageflow",
                server: server)
        }
        return kind
    }

    /// The name in `metadata.name`, required to address an object.
    func name(of object: JSONValue) throws -> String {
        guard let name = object[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw StageflowClientError.invalidObject("the object has no metadata.name", server: server)
        }
        return name
    }
}
