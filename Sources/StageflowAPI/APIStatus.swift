/// The `Status` object the API returns for failures, as Kubernetes does; also thrown as an error.
public struct APIStatus: Codable, Sendable, Hashable, Error, CustomStringConvertible {
    /// Always `Status`.
    public var kind: String = "Status"
    /// Always `v1`.
    public var apiVersion: String = "v1"
    /// Unused list metadata, present for compatibility.
    public var metadata: ListMeta = ListMeta()
    /// `Success` or `Failure`.
    public var status: String
    /// A sentence for people.
    public var message: String
    /// A machine-readable CamelCase reason (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Expired`, …).
    public var reason: String
    /// The object concerned and, for `Invalid`, every field that is wrong.
    public var details: Details?
    /// The HTTP status code.
    public var code: Int

    /// The object a status is about.
    public struct Details: Codable, Sendable, Hashable {
        /// Object name.
        public var name: String?
        /// API group.
        public var group: String?
        /// Resource (plural) or kind.
        public var kind: String?
        /// Object uid.
        public var uid: String?
        /// Individual problems, one per field.
        public var causes: [Cause]?
        /// Seconds to wait before retrying.
        public var retryAfterSeconds: Int?

        /// Details of a status.
        public init(name: String? = nil, group: String? = nil, kind: String? = nil, causes: [Cause]? = nil) {
            self.name = name
            self.group = group
            self.kind = kind
            self.causes = causes
        }
    }

    /// One problem with one field.
    public struct Cause: Codable, Sendable, Hashable {
        /// `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`, `FieldValueTypeInvalid`, …
        public var reason: String?
        /// What is wrong.
        public var message: String
        /// The field path, as `spec.target.urls[3]`.
        public var field: String?

        /// A cause.
        public init(reason: String? = nil, message: String, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// A failure status.
    public init(code: Int, reason: String, message: String, details: Details? = nil) {
        self.status = "Failure"
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { message }
}

extension APIStatus {
    /// 404: the object does not exist.
    public static func notFound(_ kind: ResourceKind, _ name: String) -> APIStatus {
        APIStatus(
            code: 404, reason: "NotFound", message: "\(kind.plural).\(kind.group) \"\(name)\" not found",
            details: Details(name: name, group: kind.group, kind: kind.plural))
    }

    /// 409: create of a name that exists.
    public static func alreadyExists(_ kind: ResourceKind, _ name: String) -> APIStatus {
        APIStatus(
            code: 409, reason: "AlreadyExists", message: "\(kind.plural).\(kind.group) \"\(name)\" already exists",
            details: Details(name: name, group: kind.group, kind: kind.plural))
    }

    /// 409: the write was based on a stale `resourceVersion`.
    public static func conflict(_ kind: ResourceKind, _ name: String, _ why: String) -> APIStatus {
        APIStatus(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(kind.plural).\(kind.group) \"\(name)\": \(why)",
            details: Details(name: name, group: kind.group, kind: kind.plural))
    }

    /// 422: the object violates the schema or a rule; every cause is listed.
    public static func invalid(_ kind: ResourceKind, _ name: String, causes: [Cause]) -> APIStatus {
        let summary = causes.map { cause in
            cause.field.map { "\($0): \(cause.message)" } ?? cause.message
        }.joined(separator: ", ")
        return APIStatus(
            code: 422, reason: "Invalid", message: "\(kind.kind).\(kind.group) \"\(name)\" is invalid: \(summary)",
            details: Details(name: name, group: kind.group, kind: kind.kind, causes: causes))
    }

    /// 410: the requested revision has been compacted away.
    public static func expired(_ message: String) -> APIStatus {
        APIStatus(code: 410, reason: "Expired", message: message)
    }

    /// 400: the request itself is malformed.
    public static func badRequest(_ message: String) -> APIStatus {
        APIStatus(code: 400, reason: "BadRequest", message: message)
    }

    /// 405: the verb is not supported on this path.
    public static func methodNotAllowed(_ message: String) -> APIStatus {
        APIStatus(code: 405, reason: "MethodNotAllowed", message: message)
    }

    /// 413: the request body is over the limit.
    public static func tooLarge(limit: Int) -> APIStatus {
        APIStatus(code: 413, reason: "RequestEntityTooLarge", message: "request body is larger than \(limit) bytes")
    }

    /// 415: the content type is not one the endpoint accepts.
    public static func unsupportedMediaType(_ type: String) -> APIStatus {
        APIStatus(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format: \(type)")
    }

    /// 500: an internal failure.
    public static func internalError(_ message: String) -> APIStatus {
        APIStatus(code: 500, reason: "InternalError", message: message)
    }

    /// 503: a dependency (the database) is unavailable; retry.
    public static func unavailable(_ message: String) -> APIStatus {
        APIStatus(code: 503, reason: "ServiceUnavailable", message: message)
    }
}
