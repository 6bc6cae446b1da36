import Foundation
import StageflowHTTP

extension S3ObjectStore {
    /// Where the bucket is and how to talk to it, with defaults suited to MinIO or Garage on the same host.
    public struct Configuration: Sendable, Hashable, CustomStringConvertible {
        /// 16 MiB, the default part size and multipart threshold.
        public static let defaultPartSize = 16 << 20
        /// 5 MiB, the smallest part S3 accepts (except the last).
        public static let minimumPartSize = 5 << 20

        /// The bucket; requests are path-style, `<endpoint>/<bucket>/<key>`.
        public var bucket: String
        /// `http(s)://host[:port][/base-path]` of the service.
        public var endpoint: URL
        /// The signing region.
        public var region: String
        /// The signing credentials.
        public var credentials: SigV4Signer.Credentials
        /// Size of each part of a multipart upload (at least `minimumPartSize`); also the most a streamed upload
        /// holds in memory.
        public var partSize: Int
        /// Objects larger than this are uploaded in parts.
        public var multipartThreshold: Int
        /// Sign the SHA-256 of each body (`true`) or send `UNSIGNED-PAYLOAD`.
        public var signsPayload: Bool
        /// Most tries per request when the service is unreachable, throttles (429, `SlowDown`) or answers 500,
        /// 502, 503 or 504.
        public var maxAttempts: Int
        /// How long a request keeps being retried (with backoff) before its failure is final: an object store
        /// that is away for less than this (a restart, a failover) costs a scan time, not its results.
        public var retryWindow: Duration
        /// Timeouts and TLS settings of the HTTP client; the total timeout bounds one request (one part).
        public var http: HTTPClient.Configuration

        /// A configuration; `endpoint` defaults to AWS's regional endpoint.
        public init(
            bucket: String, endpoint: URL? = nil, region: String = "us-east-1", credentials: SigV4Signer.Credentials,
            partSize: Int = Configuration.defaultPartSize, multipartThreshold: Int = Configuration.defaultPartSize,
            signsPayload: Bool = true, maxAttempts: Int = 64, retryWindow: Duration = .seconds(120),
            http: HTTPClient.Configuration = HTTPClient.Configuration(timeout: .seconds(300), userAgent: "stageflow-s3")
        ) {
            self.retryWindow = retryWindow
            self.bucket = bucket
            self.endpoint = endpoint ?? URL(string: "https://s3.\(region).amazonaws.com")!
            self.region = region
            self.credentials = credentials
            self.partSize = partSize
            self.multipartThreshold = multipartThreshold
            self.signsPayload = signsPayload
            self.maxAttempts = maxAttempts
            self.http = http
        }

        /// A configuration from `s3://<bucket>?endpoint=http://127.0.0.1:9000&region=us-east-1`. Parameters:
        /// `endpoint` (else `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, else AWS), `region` (else `AWS_REGION`,
        /// `AWS_DEFAULT_REGION`, else `us-east-1`), `accessKeyId`, `secretAccessKey`, `sessionToken` (else
        /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), `partSize` and
        /// `multipartThreshold` in bytes. Throws `ObjectStoreError` of kind `.invalidConfiguration` saying what is
        /// wrong or missing.
        public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
            let place = "object store location \(S3ObjectStore.Configuration.redacted(text))"
            func invalid(_ message: String) -> ObjectStoreError {
                ObjectStoreError(.invalidConfiguration, store: place, message: message)
            }
            guard let components = URLComponents(string: text), components.scheme?.lowercased() == "s3" else {
                throw invalid("not an s3:// URL")
            }
            guard let bucket = components.host, !bucket.isEmpty else {
                throw invalid("no bucket: write s3://<bucket>?endpoint=…")
            }
            guard components.path.isEmpty || components.path == "/" else {
                throw invalid("unexpected path \(components.path): the URL names only a bucket (s3://<bucket>)")
            }
            guard components.user == nil, components.password == nil else {
                throw invalid("credentials go in accessKeyId/secretAccessKey parameters or AWS_* variables, not before the bucket")
            }
            var parameters: [String: String] = [:]
            let known: Set = [
                "endpoint", "region", "accessKeyId", "secretAccessKey", "sessionToken", "partSize", "multipartThreshold",
                "retrySeconds",
            ]
            for item in components.queryItems ?? [] {
                guard known.contains(item.name) else {
                    throw invalid("unknown parameter \(item.name); known: \(known.sorted().joined(separator: ", "))")
                }
                parameters[item.name] = item.value ?? ""
            }
            func setting(_ parameter: String, _ variables: [String]) -> String? {
                if let value = parameters[parameter], !value.isEmpty { return value }
                return variables.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
            }
            let region = setting("region", ["AWS_REGION", "AWS_DEFAULT_REGION"]) ?? "us-east-1"
            var endpoint: URL?
            if let value = setting("endpoint", ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]) {
                guard let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                    url.host?.isEmpty == false
                else { throw invalid("endpoint \(value) is not an http:// or https:// URL with a host") }
                endpoint = url
            }
            guard let accessKey = setting("accessKeyId", ["AWS_ACCESS_KEY_ID"]) else {
                throw invalid("no access key: set AWS_ACCESS_KEY_ID or the accessKeyId parameter")
            }
            guard let secret = setting("secretAccessKey", ["AWS_SECRET_ACCESS_KEY"]) else {
                throw invalid("no secret key: set AWS_SECRET_ACCESS_KEY or the secretAccessKey parameter")
            }
            func size(_ parameter: String) throws -> Int {
                guard let value = parameters[parameter] else { return Configuration.defaultPartSize }
                guard let bytes = Int(value), bytes > 0 else { throw invalid("\(parameter) must be a number of bytes, not \(value)") }
                return bytes
            }
            self.init(
                bucket: bucket, endpoint: endpoint, region: region,
                credentials: SigV4Signer.Credentials(
                    accessKeyID: accessKey, secretAccessKey: secret,
                    sessionToken: setting("sessionToken", ["AWS_SESSION_TOKEN"])),
                partSize: try size("partSize"), multipartThreshold: try size("multipartThreshold"))
            if let value = parameters["retrySeconds"] {
                guard let seconds = Int(value), seconds >= 0 else { throw invalid("retrySeconds must be a number of seconds, not \(value)") }
                retryWindow = .seconds(seconds)
            }
            try validate()
        }

        /// Checks the bucket name (S3's rules: 3–63 of `a-z 0-9 . -`, starting and ending with a letter or
        /// digit), the endpoint and the part size.
        public func validate() throws {
            let place = "s3 bucket \(String(reflecting: bucket)) at \(endpoint.absoluteString)"
            func invalid(_ message: String) -> ObjectStoreError {
                ObjectStoreError(.invalidConfiguration, store: place, bucket: bucket, message: message)
            }
            let allowed = bucket.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
            }
            let edges = [bucket.unicodeScalars.first, bucket.unicodeScalars.last].allSatisfy {
                guard let scalar = $0 else { return false }
                return ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            }
            guard (3...63).contains(bucket.count), allowed, edges else {
                throw invalid("invalid bucket name: 3 to 63 of a-z, 0-9, '.' and '-', starting and ending with a letter or digit")
            }
            guard ["http", "https"].contains(endpoint.scheme?.lowercased() ?? ""), endpoint.host?.isEmpty == false else {
                throw invalid("the endpoint must be an http:// or https:// URL with a host")
            }
            guard partSize >= Configuration.minimumPartSize, partSize <= 5 << 30 else {
                throw invalid("part size \(partSize) is outside 5 MiB…5 GiB, the range S3 accepts")
            }
            guard multipartThreshold >= 0, maxAttempts >= 1 else {
                throw invalid("multipartThreshold must be ≥ 0 and maxAttempts ≥ 1")
            }
        }

        /// Bucket, endpoint, region and access key; never the secret.
        public var description: String {
            "s3 bucket \(String(reflecting: bucket)) at \(endpoint.absoluteString) (region \(region), \(credentials))"
        }

        /// `text` with the values of secret parameters replaced by `***`, for error messages.
        static func redacted(_ text: String) -> String {
            guard var components = URLComponents(string: text), let items = components.queryItems else { return text }
            components.queryItems = items.map {
                ["secretAccessKey", "sessionToken"].contains($0.name) ? URLQueryItem(name: $0.name, value: "***") : $0
            }
            return components.string ?? text
        }
    }
}
