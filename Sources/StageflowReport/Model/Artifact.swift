/// A stored file of a job, listed in the report so that evidence can be found and downloaded.
public struct Artifact: Codable, Sendable, Hashable {
    /// Object key (`artifacts/<job-uid>/axe/results.json`).
    public var key: String
    /// What it is: `results`, `scanner-report`, `screenshot`, `report`, `provenance`, `log` or `other`.
    public var kind: String
    /// The scanner that produced it, if any.
    public var scanner: String?
    /// MIME type.
    public var contentType: String?
    /// Size in bytes.
    public var sizeBytes: Int64?
    /// A link to it (a presigned URL, or a path under the API server), when the caller has one.
    public var url: String?

    /// An artifact.
    public init(
        key: String, kind: String, scanner: String? = nil, contentType: String? = nil, sizeBytes: Int64? = nil,
        url: String? = nil
    ) {
        self.key = key
        self.kind = kind
        self.scanner = scanner
        self.contentType = contentType
        self.sizeBytes = sizeBytes
        self.url = url
    }
}
