import Foundation
import StageflowHTTP

/// The one way scanners reach target sites: every request of every scanner goes through `fetch`, which asks
/// the `FetchPolicy` before each hop, follows redirects itself (recording each one and detecting loops),
/// applies a per-request time limit, and turns every failure into a `FetchResult` instead of an error.
public struct PageFetcher: Sendable {
    /// Asked before every request.
    public let policy: any FetchPolicy
    private let client: HTTPClient
    private let unverifiedClient: HTTPClient

    /// A fetcher over libcurl with the given policy; `userAgent` is sent with every request.
    public init(
        policy: any FetchPolicy = PermissiveFetchPolicy(), userAgent: String = PageFetcher.defaultUserAgent,
        connectTimeout: Duration = .seconds(10), useEnvironmentProxy: Bool = true
    ) {
        self.policy = policy
        let configuration = HTTPClient.Configuration(
            timeout: nil, connectTimeout: connectTimeout, followRedirects: false, userAgent: userAgent,
            useEnvironmentProxy: useEnvironmentProxy, connectFilter: policy.connectFilter)
        var unverified = configuration
        unverified.insecureSkipTLSVerify = true
        self.client = HTTPClient(configuration: configuration)
        self.unverifiedClient = HTTPClient(configuration: unverified)
    }

    /// A browser-like `User-Agent` that names the scanner, so site owners can recognise it in their logs.
    public static let defaultUserAgent = "Mozilla/5.0 (compatible; Stageflow-Scanner/1; +https://stageflow.dev)"

    /// Reads the body of HTML responses only.
    public static let htmlBodies: @Sendable (Int, HTTPHeaders) -> Bool = { _, headers in
        guard let type = headers["Content-Type"]?.lowercased() else { return false }
        return type.hasPrefix("text/html") || type.hasPrefix("application/xhtml+xml")
    }

    /// Reads no body.
    public static let noBodies: @Sendable (Int, HTTPHeaders) -> Bool = { _, _ in false }

    /// Fetches, following redirects; never throws except for cancellation of the calling task.
    public func fetch(_ request: FetchRequest) async throws -> FetchResult {
        var result = FetchResult(
            requested: request.address, hops: [], final: request.address, status: nil, headers: [:], setCookies: [],
            body: nil, bodyTruncated: false, failure: nil, tlsVerified: true)
        var current = request.address
        var method = request.method.uppercased()
        var visited: Set<String> = []
        while true {
            try Task.checkCancellation()
            result.final = current
            visited.insert(current.key)
            do {
                try await policy.check(current)
            } catch let violation as FetchPolicyViolation {
                result.failure = FetchFailure(.blocked, "request to \(current.key) blocked: \(violation.reason)")
                return result
            }
            let response: Response
            do {
                response = try await send(current, method: method, request: request, result: &result)
            } catch let failure as FetchFailure {
                result.failure = failure
                return result
            }
            result.setCookies += response.headers.values(for: "Set-Cookie")
            let location = Self.redirectTarget(status: response.status, headers: response.headers, base: current)
            result.hops.append(FetchHop(url: current.key, status: response.status, location: location?.key))
            guard let location, request.maxRedirects > 0 else {
                result.status = response.status
                result.headers = response.headers
                result.body = response.body
                result.bodyTruncated = response.truncated
                return result
            }
            if visited.contains(location.key) {
                result.failure = FetchFailure(.redirectLoop, "redirect loop: \(location.key) was already on the chain")
                return result
            }
            if result.hops.count > request.maxRedirects {
                result.failure = FetchFailure(.tooManyRedirects, "more than \(request.maxRedirects) redirects")
                return result
            }
            if response.status == 303, method != "HEAD" { method = "GET" }
            current = location
        }
    }

    /// Where a redirect response points, resolved against the URL that answered; `nil` for anything else.
    static func redirectTarget(status: Int, headers: HTTPHeaders, base: WebAddress) -> WebAddress? {
        guard [301, 302, 303, 307, 308].contains(status), let location = headers["Location"], !location.isEmpty
        else { return nil }
        return WebAddress.resolve(location, against: base.url)
    }

    private struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: Data?
        var truncated: Bool
    }

    private func send(
        _ address: WebAddress, method: String, request: FetchRequest, result: inout FetchResult
    ) async throws -> Response {
        do {
            return try await send(address, method: method, request: request, client: result.tlsVerified ? client : unverifiedClient)
        } catch let error as HTTPError where request.retriesUnverifiedTLS && result.tlsVerified && Self.isCertificateFailure(error) {
            result.tlsVerified = false
            do {
                return try await send(address, method: method, request: request, client: unverifiedClient)
            } catch let error as HTTPError {
                throw Self.failure(error, timeout: request.timeout)
            }
        } catch let error as HTTPError {
            throw Self.failure(error, timeout: request.timeout)
        }
    }

    private func send(_ address: WebAddress, method: String, request: FetchRequest, client: HTTPClient) async throws -> Response {
        let httpRequest = HTTPRequest(method: method, url: address.url, headers: request.headers, timeout: request.timeout)
        if method == "HEAD" {
            let response = try await client.send(httpRequest)
            return Response(status: response.status, headers: response.headers, body: nil, truncated: false)
        }
        let streaming = try await client.stream(httpRequest)
        let isRedirect = Self.redirectTarget(status: streaming.status, headers: streaming.headers, base: address) != nil
        guard !isRedirect || request.maxRedirects == 0, request.readsBody(streaming.status, streaming.headers) else {
            streaming.cancel()
            return Response(status: streaming.status, headers: streaming.headers, body: nil, truncated: false)
        }
        var body = Data()
        var truncated = false
        for try await chunk in streaming.body {
            body.append(chunk.prefix(request.maxBodyBytes - body.count))
            if body.count >= request.maxBodyBytes {
                truncated = true
                streaming.cancel()
                break
            }
        }
        return Response(status: streaming.status, headers: streaming.headers, body: body, truncated: truncated)
    }

    /// curl reports certificate problems as `CURLE_PEER_FAILED_VERIFICATION` (60).
    static func isCertificateFailure(_ error: HTTPError) -> Bool {
        error.curlCode == 60 || error.message.lowercased().contains("certificate")
    }

    static func failure(_ error: HTTPError, timeout: Duration) -> FetchFailure {
        switch error.kind {
        case .timedOut:
            return FetchFailure(.timeout, "no response within \(timeout.formattedSeconds) (\(error.message))")
        case .couldNotConnect:
            return FetchFailure(.unreachable, error.message)
        case .invalidRequest:
            return FetchFailure(.invalidURL, error.message)
        case .transfer where isCertificateFailure(error) || error.message.contains("SSL") || error.message.contains("TLS"):
            return FetchFailure(.tls, error.message)
        case .transfer, .cancelled:
            return FetchFailure(.transfer, error.message)
        }
    }
}

extension Duration {
    /// `10 s`, `1.5 s`.
    var formattedSeconds: String {
        let (seconds, attoseconds) = components
        let tenths = attoseconds / 100_000_000_000_000_000
        return tenths == 0 ? "\(seconds) s" : "\(seconds).\(tenths) s"
    }
}
