import Foundation

/// What a store knows about one object without reading it.
public struct ObjectInfo: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// An opaque tag that changes whenever the object is rewritten, without quotes (S3's ETag; on the filesystem
    /// derived from inode, modification time and size).
    public var etag: String?
    /// The media type, when the store knows it (S3 does not report it in listings; the filesystem store infers it
    /// from the key's extension).
    public var contentType: String?
    /// When the object was last written.
    public var lastModified: Date?

    /// Information about one object.
    public init(key: String, size: Int64, etag: String? = nil, contentType: String? = nil, lastModified: Date? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.lastModified = lastModified
    }
}
