import Foundation
import StageflowHTTP

extension SigV4Signer {
    /// One query parameter, unencoded.
    public struct QueryItem: Sendable, Hashable {
        /// The name, unencoded.
        public var name: String
        /// The value, unencoded; empty for a parameter without `=`.
        public var value: String

        /// A parameter.
        public init(name: String, value: String = "") {
            self.name = name
            self.value = value
        }
    }

    /// What the signature says about the body.
    public enum Payload: Sendable, Hashable {
        /// The body is not covered (`UNSIGNED-PAYLOAD`): presigned links, and bodies streamed without hashing.
        case unsigned
        /// The body's hex SHA-256.
        case sha256(String)

        /// The payload of `body`.
        public static func bytes(_ body: Data) -> Payload {
            .sha256(SigV4Signer.hexSHA256(body))
        }

        /// The payload of an empty body.
        public static let empty = Payload.sha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

        /// The last line of the canonical request: `UNSIGNED-PAYLOAD` or the hex hash.
        public var hash: String {
            switch self {
            case .unsigned: "UNSIGNED-PAYLOAD"
            case .sha256(let hex): hex
            }
        }
    }

    /// A request as the signer sees it: the path and query unencoded (the signer encodes them as SigV4 wants, and
    /// `url(scheme:)` encodes them the same way for sending, so the two cannot disagree), header fields and the
    /// payload hash. The `Host` header must be among the headers.
    public struct Request: Sendable, Hashable {
        /// `GET`, `PUT`, …
        public var method: String
        /// The path, unencoded, starting with `/` (`/bucket/some key.json`).
        public var path: String
        /// Query parameters, unencoded, in any order.
        public var query: [QueryItem]
        /// Header fields, including `Host`.
        public var headers: HTTPHeaders
        /// The payload hash (or `.unsigned`).
        public var payload: Payload

        /// A request from its parts.
        public init(
            method: String, path: String, query: [QueryItem] = [], headers: HTTPHeaders = [:], payload: Payload = .empty
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payload = payload
        }

        /// A request for `url`: its percent-encoded path and query are decoded, and a `Host` header is added from
        /// the URL unless `headers` has one. `nil` when the URL has no host.
        public init?(method: String, url: URL, headers: HTTPHeaders = [:], payload: Payload = .empty) {
            guard let components = URLComponents(url: url, resolvingAgainstBaseURL: true),
                let authority = SigV4Signer.authority(of: url)
            else { return nil }
            let rawPath = components.percentEncodedPath
            var query: [QueryItem] = []
            if let rawQuery = components.percentEncodedQuery, !rawQuery.isEmpty {
                for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
                    let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let name = String(parts[0])
                    let value = parts.count > 1 ? String(parts[1]) : ""
                    query.append(QueryItem(name: name.removingPercentEncoding ?? name, value: value.removingPercentEncoding ?? value))
                }
            }
            var allHeaders = headers
            if !allHeaders.contains("Host") { allHeaders.add("Host", authority) }
            self.init(
                method: method, path: rawPath.isEmpty ? "/" : (rawPath.removingPercentEncoding ?? rawPath),
                query: query, headers: allHeaders, payload: payload)
        }

        /// The URL to send: `scheme://<Host header><encoded path>?<encoded, sorted query>`; `nil` without a `Host`
        /// header.
        public func url(scheme: String) -> URL? {
            guard let host = headers["Host"] else { return nil }
            var text = "\(scheme)://\(host)\(SigV4Encoding.encode(path.isEmpty ? "/" : path, keepingSlashes: true))"
            if !query.isEmpty { text += "?\(SigV4Signer.canonicalQuery(query))" }
            return URL(string: text)
        }
    }

    /// `host` or `host:port` as curl sends it in `Host` (the port only when it is not the scheme's default),
    /// with IPv6 addresses in brackets.
    public static func authority(of url: URL) -> String? {
        guard let host = url.host, !host.isEmpty else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let scheme = url.scheme?.lowercased()
        guard let port = url.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else {
            return bracketed
        }
        return "\(bracketed):\(port)"
    }
}
