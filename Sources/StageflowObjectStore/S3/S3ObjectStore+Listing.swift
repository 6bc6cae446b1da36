import Crypto
import Foundation
import StageflowHTTP

extension S3ObjectStore {
    /// One page of `ListObjectsV2`.
    struct ListPage {
        var objects: [ObjectInfo]
        var nextContinuationToken: String?
    }

    /// Every object under `prefix`, following continuation tokens page by page.
    public func list(prefix: String) async throws -> [ObjectInfo] {
        try ObjectKeys.validate(prefix: prefix, store: name)
        var objects: [ObjectInfo] = []
        var token: String?
        repeat {
            let page = try await listPage(prefix: prefix, continuationToken: token)
            objects.append(contentsOf: page.objects)
            token = page.nextContinuationToken
        } while token != nil
        return objects
    }

    /// Deletes page by page: each page of the listing goes in one `DeleteObjects` request.
    public func deletePrefix(_ prefix: String) async throws {
        try ObjectKeys.validate(prefix: prefix, store: name)
        guard !prefix.isEmpty else {
            throw ObjectStoreError(
                .invalidKey, store: name, key: prefix, bucket: configuration.bucket,
                message: "refusing to delete with an empty prefix (every object)")
        }
        var token: String?
        repeat {
            let page = try await listPage(prefix: prefix, continuationToken: token)
            try await deleteObjects(page.objects.map(\.key))
            token = page.nextContinuationToken
        } while token != nil
    }

    /// `GET /<bucket>?list-type=2&prefix=…&continuation-token=…`.
    func listPage(prefix: String, continuationToken: String?) async throws -> ListPage {
        var query: [SigV4Signer.QueryItem] = [.init(name: "list-type", value: "2")]
        if !prefix.isEmpty { query.append(.init(name: "prefix", value: prefix)) }
        if let continuationToken { query.append(.init(name: "continuation-token", value: continuationToken)) }
        let response = try await send("GET", key: nil, query: query)
        let document = try document(response, of: "ListObjectsV2", key: prefix)
        let objects = try document.children("Contents").map { entry in
            guard let key = entry.text(of: "Key"), let size = entry.text(of: "Size").flatMap(Int64.init) else {
                throw ObjectStoreError(
                    .invalidResponse, store: name, key: prefix, bucket: configuration.bucket,
                    message: "ListObjectsV2 returned an entry without Key or Size")
            }
            return ObjectInfo(
                key: key, size: size, etag: entry.text(of: "ETag").map(Self.unquoted),
                lastModified: entry.text(of: "LastModified").flatMap(S3Dates.iso8601))
        }
        let truncated = document.text(of: "IsTruncated") == "true"
        let next = document.text(of: "NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if truncated, next == nil {
            throw ObjectStoreError(
                .invalidResponse, store: name, key: prefix, bucket: configuration.bucket,
                message: "ListObjectsV2 is truncated but gave no NextContinuationToken")
        }
        return ListPage(objects: objects, nextContinuationToken: truncated ? next : nil)
    }

    /// `POST /<bucket>?delete` for up to 1000 keys (with the `Content-MD5` S3 requires); the first key S3 could
    /// not delete is thrown. Falls back to one `DELETE` per key when the service does not implement it.
    func deleteObjects(_ keys: [String]) async throws {
        for start in stride(from: 0, to: keys.count, by: 1000) {
            let batch = keys[start..<Swift.min(start + 1000, keys.count)]
            let objects = batch.map { "<Object>\(S3XMLElement.element("Key", $0))</Object>" }.joined()
            let body = Data("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>\(objects)</Delete>".utf8)
            let headers: HTTPHeaders = [
                "Content-Type": "application/xml",
                "Content-MD5": Data(Insecure.MD5.hash(data: body)).base64EncodedString(),
            ]
            let response = try await send(
                "POST", key: nil, query: [.init(name: "delete")], headers: headers, body: body, accepting: [501])
            if response.status == 501 {
                for key in batch { try await delete(key) }
                continue
            }
            let document = try document(response, of: "DeleteObjects", key: batch.first)
            if let failure = document.children("Error").first {
                throw ObjectStoreError(
                    .service, store: name, key: failure.text(of: "Key"), bucket: configuration.bucket,
                    serviceCode: failure.text(of: "Code"), httpStatus: response.status,
                    message: "DeleteObjects: \(failure.text(of: "Message") ?? "not deleted")")
            }
        }
    }

    /// Creates the bucket unless it already exists and belongs to these credentials; for setup and tests.
    /// Outside `us-east-1` the region goes in a `CreateBucketConfiguration`.
    public func createBucketIfMissing() async throws {
        var body = Data()
        if configuration.region != "us-east-1" {
            body = Data(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + S3XMLElement.element("LocationConstraint", configuration.region) + "</CreateBucketConfiguration>").utf8)
        }
        let response = try await send("PUT", key: nil, body: body, accepting: [409])
        guard response.status == 409 else {
            logger.debug("created bucket", metadata: ["bucket": "\(configuration.bucket)"])
            return
        }
        let code = (try? S3XMLElement.parse(response.body))?.text(of: "Code")
        guard code == "BucketAlreadyOwnedByYou" else {
            throw serviceError(response, signedRequest("PUT", key: nil), key: nil)
        }
    }
}
