/// A failure of an object store operation. It names the store, the key (when there is one) and, for S3, the
/// bucket, the HTTP status and the S3 error code, so that a message alone tells what failed and where.
public struct ObjectStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure it was.
    public enum Kind: Sendable, Hashable {
        /// The key or prefix is not acceptable (`..`, absolute, empty segment, NUL, backslash, control character).
        case invalidKey
        /// No object under the key.
        case notFound
        /// The key cannot be stored because of another object (on a filesystem, a key that is also a directory).
        case conflict
        /// A location or configuration could not be understood (an unknown URL scheme, missing credentials).
        case invalidConfiguration
        /// The S3 service answered with an error.
        case service
        /// The service could not be reached, or the exchange broke off.
        case transport
        /// The service answered with something that is not a valid S3 response.
        case invalidResponse
        /// A local file operation failed.
        case io
    }

    /// What kind of failure it was.
    public let kind: Kind
    /// The store, as `directory /var/lib/stageflow/objects`, `s3 bucket "b" at http://…` or `memory store`.
    public let store: String
    /// The key or prefix concerned, when there is one.
    public let key: String?
    /// The S3 bucket, for S3 stores.
    public let bucket: String?
    /// The S3 error code (`NoSuchKey`, `AccessDenied`, …) when the service sent one.
    public let serviceCode: String?
    /// The HTTP status of the answer, when there was one.
    public let httpStatus: Int?
    /// What went wrong, in words.
    public let message: String

    /// An error.
    public init(
        _ kind: Kind, store: String, key: String? = nil, bucket: String? = nil, serviceCode: String? = nil,
        httpStatus: Int? = nil, message: String
    ) {
        self.kind = kind
        self.store = store
        self.key = key
        self.bucket = bucket
        self.serviceCode = serviceCode
        self.httpStatus = httpStatus
        self.message = message
    }

    /// `<store>, key "<key>": <message> (<S3 code>, HTTP <status>)`.
    public var description: String {
        var text = store
        if let key { text += ", key \(String(reflecting: key))" }
        text += ": \(message)"
        var details: [String] = []
        if let serviceCode { details.append(serviceCode) }
        if let httpStatus { details.append("HTTP \(httpStatus)") }
        if !details.isEmpty { text += " (\(details.joined(separator: ", ")))" }
        return text
    }

    /// Whether the failure is a missing object.
    public var isNotFound: Bool { kind == .notFound }
}
