import Foundation

/// A multipart upload in progress: its id and the parts sent so far.
struct MultipartUpload: Sendable {
    let key: String
    let uploadID: String
    private(set) var parts: [(number: Int, etag: String)] = []

    init(key: String, uploadID: String) {
        self.key = key
        self.uploadID = uploadID
    }

    /// Sends `data` as the next part.
    mutating func upload(_ data: Data, through store: S3ObjectStore) async throws {
        let number = parts.count + 1
        let etag = try await store.uploadPart(data, number: number, of: self)
        parts.append((number, etag))
    }
}
