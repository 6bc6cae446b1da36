import StageflowAPI

/// The outcome of validating an object against the schema of its kind: the pruned object, every violation
/// and the unknown fields found on the way.
public struct ValidationResult: Sendable, Hashable {
    /// The object with unknown fields removed and `null`s of non-nullable fields dropped; store this one.
    public var object: JSONValue
    /// Every violation, in a stable order; empty when the object is valid. Under `.strict` each unknown field is
    /// a cause too.
    public var causes: [APIStatus.Cause]
    /// The paths of all unknown fields (`spec.foo`, `spec.scanners[0].bar`), whatever the policy.
    public var unknownFields: [String]
    /// Warnings for the `Warning` response header: `unknown field "spec.foo"` for each unknown field under
    /// `.warn`.
    public var warnings: [String]
    /// The policy the object was validated with.
    public var policy: UnknownFieldPolicy

    /// Whether the object may be stored.
    public var isValid: Bool { causes.isEmpty }

    /// A result.
    public init(
        object: JSONValue, causes: [APIStatus.Cause], unknownFields: [String], warnings: [String],
        policy: UnknownFieldPolicy
    ) {
        self.object = object
        self.causes = causes
        self.unknownFields = unknownFields
        self.warnings = warnings
        self.policy = policy
    }

    /// The `Status` a Kubernetes API server would answer with, or `nil` for a valid object: 400 `BadRequest`
    /// (`strict decoding error: unknown field "spec.foo"`) when strict validation found unknown fields, as
    /// Kubernetes rejects those while decoding, otherwise 422 `Invalid` listing every cause.
    public func failure(kind: ResourceKind, name: String) -> APIStatus? {
        if causes.isEmpty { return nil }
        if policy == .strict, !unknownFields.isEmpty {
            let fields = unknownFields.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
            var status = APIStatus.badRequest(
                "\(kind.kind) in version \"\(kind.version)\" cannot be handled as a \(kind.kind): "
                    + "strict decoding error: \(fields)")
            status.details = APIStatus.Details(name: name, group: kind.group, kind: kind.kind, causes: causes)
            return status
        }
        return .invalid(kind, name, causes: causes)
    }
}
