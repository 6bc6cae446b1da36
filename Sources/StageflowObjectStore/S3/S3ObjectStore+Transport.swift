import Foundation
import Logging
import StageflowHTTP

extension S3ObjectStore {
    /// `http` or `https`, from the endpoint.
    var scheme: String { configuration.endpoint.scheme?.lowercased() ?? "https" }

    /// `host[:port]` of the endpoint, as sent in `Host`.
    var authority: String { SigV4Signer.authority(of: configuration.endpoint) ?? "" }

    /// The unencoded request path of the bucket (`key == nil`) or of an object: the endpoint's own path, the
    /// bucket and the key.
    func path(key: String?) -> String {
        var base = configuration.endpoint.path
        while base.hasSuffix("/") { base.removeLast() }
        let bucket = "\(base)/\(configuration.bucket)"
        guard let key else { return bucket }
        return "\(bucket)/\(key)"
    }

    /// A signed request for the bucket or one of its objects.
    func signedRequest(
        _ method: String, key: String?, query: [SigV4Signer.QueryItem] = [], headers: HTTPHeaders = [:],
        body: Data? = nil, date: Date = Date()
    ) -> HTTPRequest {
        var allHeaders = headers
        allHeaders["Host"] = authority
        let payload: SigV4Signer.Payload =
            configuration.signsPayload ? body.map(SigV4Signer.Payload.bytes) ?? .empty : .unsigned
        let request = SigV4Signer.Request(method: method, path: path(key: key), query: query, headers: allHeaders, payload: payload)
        let signed = signer.sign(request, at: date)
        let url = signed.request.url(scheme: scheme) ?? configuration.endpoint
        return HTTPRequest(method: method, url: url, headers: signed.request.headers, body: body)
    }

    /// Sends a signed request, retrying transport failures, throttling (429) and 500/502/503/504 with backoff
    /// for up to `retryWindow` (and `maxAttempts` tries), and returns a response whose status is 2xx or in
    /// `accepting`; any other status throws the S3 error it carries.
    @discardableResult
    func send(
        _ method: String, key: String?, query: [SigV4Signer.QueryItem] = [], headers: HTTPHeaders = [:],
        body: Data? = nil, accepting: Set<Int> = []
    ) async throws -> HTTPResponse {
        let giveUp = ContinuousClock.now + configuration.retryWindow
        var attempt = 0
        while true {
            attempt += 1
            let request = signedRequest(method, key: key, query: query, headers: headers, body: body)
            logger.trace("s3 request", metadata: ["request": "\(request.summary)"])
            let retriesLeft = attempt < configuration.maxAttempts && ContinuousClock.now < giveUp
            let response: HTTPResponse
            do {
                response = try await client.send(request)
            } catch let error as HTTPError where error.kind != .cancelled && error.kind != .invalidRequest {
                guard retriesLeft else { throw transportError(error, key: key) }
                logger.debug("s3 request failed, retrying", metadata: ["request": "\(request.summary)", "error": "\(error)"])
                try await backOff(attempt, until: giveUp)
                continue
            } catch let error as HTTPError {
                throw transportError(error, key: key)
            }
            if response.isSuccess || accepting.contains(response.status) { return response }
            if [429, 500, 502, 503, 504].contains(response.status), retriesLeft {
                logger.debug(
                    "s3 service error, retrying", metadata: ["request": "\(request.summary)", "status": "\(response.status)"])
                try await backOff(attempt, until: giveUp)
                continue
            }
            throw serviceError(response, request, key: key)
        }
    }

    /// 200 ms doubling to 10 s, with a fifth of jitter, never past `giveUp`.
    private func backOff(_ attempt: Int, until giveUp: ContinuousClock.Instant) async throws {
        let base = Double(200 << Swift.min(attempt - 1, 6)) / 1000
        let delay = Swift.min(base, 10) * Double.random(in: 0.8...1.2)
        let remaining = ContinuousClock.now.duration(to: giveUp)
        try await Task.sleep(for: Swift.min(.milliseconds(Int(delay * 1000)), Swift.max(remaining, .milliseconds(1))))
    }

    /// The error an S3 error response describes: its `<Code>` and `<Message>`, the status and the request.
    func serviceError(_ response: HTTPResponse, _ request: HTTPRequest, key: String?) -> ObjectStoreError {
        let document = try? S3XMLElement.parse(response.body)
        let code = document?.text(of: "Code") ?? Self.codeForBodylessStatus(response.status, method: request.method)
        var message = document?.text(of: "Message") ?? ""
        if message.isEmpty {
            let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
            message = text.isEmpty ? "no error message" : String(text.prefix(300))
        }
        let kind: ObjectStoreError.Kind = code == "NoSuchKey" ? .notFound : .service
        return ObjectStoreError(
            kind, store: name, key: key, bucket: configuration.bucket, serviceCode: code, httpStatus: response.status,
            message: "\(request.method) \(request.url.path): \(message)")
    }

    /// The code a body-less answer (to `HEAD`) stands for.
    private static func codeForBodylessStatus(_ status: Int, method: String) -> String? {
        switch status {
        case 404 where method == "HEAD": "NotFound"
        case 403: "AccessDenied"
        case 301, 307: "PermanentRedirect"
        default: nil
        }
    }

    /// A failure to get any answer.
    func transportError(_ error: HTTPError, key: String?) -> any Error {
        if error.kind == .cancelled { return CancellationError() }
        return ObjectStoreError(
            .transport, store: name, key: key, bucket: configuration.bucket, message: error.description)
    }

    /// Parses an XML response body; throws `.invalidResponse` naming the request when it is not XML.
    func document(_ response: HTTPResponse, of operation: String, key: String?) throws -> S3XMLElement {
        do {
            return try S3XMLElement.parse(response.body)
        } catch {
            throw ObjectStoreError(
                .invalidResponse, store: name, key: key, bucket: configuration.bucket, httpStatus: response.status,
                message: "\(operation): \(error)")
        }
    }
}
