import Foundation
import Logging
import StageflowHTTP

/// Objects in an S3-compatible bucket (MinIO, Garage, AWS), over libcurl with SigV4 signatures. Requests are
/// path-style (`<endpoint>/<bucket>/<key>`), so any endpoint works without DNS per bucket. Objects over
/// `multipartThreshold` are uploaded in parts of `partSize` (aborted if anything fails, so no half object
/// appears); listings follow continuation tokens; prefix deletion uses `DeleteObjects` in batches of 1000.
/// Errors name the bucket, the key and the S3 error code.
public struct S3ObjectStore: ObjectStore {
    /// Bucket, endpoint, credentials and sizes.
    public let configuration: Configuration
    let client: HTTPClient
    let signer: SigV4Signer
    let logger: Logger

    /// A store for `configuration`, which is validated first.
    public init(configuration: Configuration, logger: Logger = Logger(label: "stageflow.objectstore.s3")) throws {
        try configuration.validate()
        self.configuration = configuration
        client = HTTPClient(configuration: configuration.http)
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "s3")
        self.logger = logger
    }

    /// `s3 bucket "<bucket>" at <endpoint>`, as errors name this store.
    public var name: String {
        "s3 bucket \(String(reflecting: configuration.bucket)) at \(configuration.endpoint.absoluteString)"
    }

    /// Uploads `data` in one `PUT`, or in parts when it is larger than `multipartThreshold`.
    public func put(_ key: String, data: Data, contentType: String?) async throws {
        try ObjectKeys.validate(key, store: name)
        if data.count > configuration.multipartThreshold {
            try await putInParts(key, chunks: DataChunks(data: data, size: configuration.partSize), contentType: contentType)
        } else {
            try await putSingle(key, data: data, contentType: contentType)
        }
    }

    /// Buffers up to `multipartThreshold` bytes; a sequence that ends before is sent in one `PUT`, a longer one
    /// as a multipart upload of `partSize` parts, holding at most one part in memory.
    public func put<Chunks: AsyncSequence>(_ key: String, chunks: Chunks, contentType: String?) async throws
    where Chunks.Element == Data {
        try ObjectKeys.validate(key, store: name)
        try await putInParts(key, chunks: chunks, contentType: contentType)
    }

    /// `GET` of the whole object.
    public func get(_ key: String) async throws -> Data {
        try ObjectKeys.validate(key, store: name)
        return try await send("GET", key: key).body
    }

    /// Streams a `GET` into a temporary file beside `destination`, renamed into place when complete.
    public func get(_ key: String, to destination: URL) async throws {
        try ObjectKeys.validate(key, store: name)
        let request = signedRequest("GET", key: key)
        let response: HTTPStreamingResponse
        do {
            response = try await client.stream(request)
        } catch let error as HTTPError {
            throw transportError(error, key: key)
        }
        guard response.isSuccess else {
            let body = try await response.collect()
            throw serviceError(HTTPResponse(status: response.status, headers: response.headers, body: body), request, key: key)
        }
        let target = destination.standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let writer = try AtomicFileWriter(destination: target)
            do {
                var received: Int64 = 0
                for try await chunk in response.body {
                    try writer.write(chunk)
                    received += Int64(chunk.count)
                }
                if let expected = response.headers["Content-Length"].flatMap(Int64.init), expected != received {
                    throw ObjectStoreError(
                        .transport, store: name, key: key, bucket: configuration.bucket,
                        message: "the download ended after \(received) of \(expected) bytes")
                }
                try writer.commit()
            } catch {
                writer.abort()
                throw error
            }
        } catch let error as HTTPError {
            throw transportError(error, key: key)
        } catch let error as POSIXFailure {
            throw ObjectStoreError(.io, store: name, key: key, bucket: configuration.bucket, message: error.description)
        } catch let error as CocoaError {
            throw ObjectStoreError(
                .io, store: name, key: key, bucket: configuration.bucket,
                message: "cannot write \(target): \(error.localizedDescription)")
        }
    }

    /// `HEAD` of the object: `nil` on 404.
    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKeys.validate(key, store: name)
        let response = try await send("HEAD", key: key, accepting: [404])
        guard response.status != 404 else { return nil }
        return ObjectInfo(
            key: key, size: response.headers["Content-Length"].flatMap(Int64.init) ?? 0,
            etag: response.headers["ETag"].map(Self.unquoted), contentType: response.headers["Content-Type"],
            lastModified: response.headers["Last-Modified"].flatMap(S3Dates.httpDate))
    }

    /// `DELETE` of the object; S3 answers success for a missing key as well.
    public func delete(_ key: String) async throws {
        try ObjectKeys.validate(key, store: name)
        _ = try await send("DELETE", key: key)
    }

    /// A presigned `GET` link, valid for `expiresInSeconds` (1 second to 7 days).
    public func presignedGetURL(_ key: String, expiresInSeconds: Int) async throws -> URL? {
        try ObjectKeys.validate(key, store: name)
        guard (1...604_800).contains(expiresInSeconds) else {
            throw ObjectStoreError(
                .invalidConfiguration, store: name, key: key, bucket: configuration.bucket,
                message: "a presigned link must expire within 1…604800 seconds, not \(expiresInSeconds)")
        }
        let request = SigV4Signer.Request(
            method: "GET", path: path(key: key), headers: ["Host": authority], payload: .unsigned)
        let signed = signer.presign(request, at: Date(), expiresInSeconds: expiresInSeconds)
        guard let url = signed.request.url(scheme: scheme) else {
            throw ObjectStoreError(
                .invalidConfiguration, store: name, key: key, bucket: configuration.bucket,
                message: "cannot build a URL from the endpoint")
        }
        return url
    }

    /// `"abc"` → `abc`.
    static func unquoted(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }
}
