import Foundation
import Logging
import StageflowHTTP

extension S3ObjectStore {
    /// One `PUT` of a body held in memory.
    func putSingle(_ key: String, data: Data, contentType: String?) async throws {
        var headers: HTTPHeaders = [:]
        if let contentType { headers["Content-Type"] = contentType }
        try await send("PUT", key: key, headers: headers, body: data)
    }

    /// Reads `chunks` into a buffer; stays a single `PUT` while the total fits `multipartThreshold`, otherwise
    /// becomes a multipart upload sending each `partSize` bytes as they are complete. Any failure, including one
    /// thrown by `chunks` or a cancellation, aborts the multipart upload before the error is rethrown.
    func putInParts<Chunks: AsyncSequence>(_ key: String, chunks: Chunks, contentType: String?) async throws
    where Chunks.Element == Data {
        let partSize = configuration.partSize
        let threshold = configuration.multipartThreshold
        var buffer = Data()
        var upload: MultipartUpload?
        do {
            for try await chunk in chunks {
                try Task.checkCancellation()
                buffer.append(chunk)
                while buffer.count >= partSize, upload != nil || buffer.count > threshold {
                    if upload == nil { upload = try await createMultipartUpload(key, contentType: contentType) }
                    let part = buffer.subdata(in: buffer.startIndex..<buffer.startIndex + partSize)
                    buffer = buffer.subdata(in: buffer.startIndex + partSize..<buffer.endIndex)
                    try await upload?.upload(part, through: self)
                }
            }
            try Task.checkCancellation()
            guard var started = upload else {
                try await putSingle(key, data: buffer, contentType: contentType)
                return
            }
            if !buffer.isEmpty { try await started.upload(buffer, through: self) }
            try await completeMultipartUpload(started)
            upload = nil
        } catch {
            if let upload { await abortMultipartUpload(upload) }
            throw error
        }
    }

    /// `POST ?uploads`: starts a multipart upload.
    private func createMultipartUpload(_ key: String, contentType: String?) async throws -> MultipartUpload {
        var headers: HTTPHeaders = [:]
        if let contentType { headers["Content-Type"] = contentType }
        let response = try await send("POST", key: key, query: [.init(name: "uploads")], headers: headers, body: Data())
        let document = try document(response, of: "CreateMultipartUpload", key: key)
        guard let uploadID = document.text(of: "UploadId"), !uploadID.isEmpty else {
            throw ObjectStoreError(
                .invalidResponse, store: name, key: key, bucket: configuration.bucket, httpStatus: response.status,
                message: "CreateMultipartUpload answered without an UploadId")
        }
        logger.debug("multipart upload started", metadata: ["key": "\(key)", "uploadId": "\(uploadID)"])
        return MultipartUpload(key: key, uploadID: uploadID)
    }

    /// `PUT ?partNumber=N&uploadId=…`: sends one part and returns its ETag.
    func uploadPart(_ data: Data, number: Int, of upload: MultipartUpload) async throws -> String {
        let response = try await send(
            "PUT", key: upload.key,
            query: [.init(name: "partNumber", value: String(number)), .init(name: "uploadId", value: upload.uploadID)],
            body: data)
        guard let etag = response.headers["ETag"], !etag.isEmpty else {
            throw ObjectStoreError(
                .invalidResponse, store: name, key: upload.key, bucket: configuration.bucket, httpStatus: response.status,
                message: "UploadPart \(number) answered without an ETag")
        }
        return etag
    }

    /// `POST ?uploadId=…` with the part list; S3 may report an error inside a 200 answer, which is checked too.
    private func completeMultipartUpload(_ upload: MultipartUpload) async throws {
        let parts = upload.parts.map {
            "<Part>\(S3XMLElement.element("PartNumber", String($0.number)))\(S3XMLElement.element("ETag", $0.etag))</Part>"
        }
        let body = Data(
            ("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + parts.joined()
                + "</CompleteMultipartUpload>").utf8)
        let response = try await send(
            "POST", key: upload.key, query: [.init(name: "uploadId", value: upload.uploadID)],
            headers: ["Content-Type": "application/xml"], body: body)
        let document = try document(response, of: "CompleteMultipartUpload", key: upload.key)
        if document.name == "Error" {
            throw ObjectStoreError(
                .service, store: name, key: upload.key, bucket: configuration.bucket,
                serviceCode: document.text(of: "Code"), httpStatus: response.status,
                message: "CompleteMultipartUpload: \(document.text(of: "Message") ?? "failed")")
        }
        logger.debug("multipart upload complete", metadata: ["key": "\(upload.key)", "parts": "\(upload.parts.count)"])
    }

    /// `DELETE ?uploadId=…`, in a task of its own so that it still runs when the upload was cancelled; its own
    /// failure is logged, as the original error is what the caller needs to see.
    private func abortMultipartUpload(_ upload: MultipartUpload) async {
        let store = self
        let outcome = await Task {
            try await store.send("DELETE", key: upload.key, query: [.init(name: "uploadId", value: upload.uploadID)])
        }.result
        if case .failure(let error) = outcome {
            logger.warning(
                "cannot abort multipart upload; its parts stay stored until the bucket's lifecycle removes them",
                metadata: ["key": "\(upload.key)", "uploadId": "\(upload.uploadID)", "error": "\(error)"])
        } else {
            logger.debug("multipart upload aborted", metadata: ["key": "\(upload.key)", "uploadId": "\(upload.uploadID)"])
        }
    }
}
