/// Query parameters of a create, update, patch or apply.
public struct WriteOptions: Sendable, Hashable {
    /// How the server treats unknown or duplicate fields.
    public enum FieldValidation: String, Sendable, Hashable {
        /// Reject the request.
        case strict = "Strict"
        /// Accept it and return a warning.
        case warn = "Warn"
        /// Drop the fields silently.
        case ignore = "Ignore"
    }

    /// Validate and compute the result without storing it (`dryRun=All`).
    public var dryRun: Bool
    /// The name recorded as the owner of the written fields; required for server-side apply.
    public var fieldManager: String?
    /// Unknown-field handling; `nil` leaves it to the server.
    public var fieldValidation: FieldValidation?
    /// For server-side apply, take over fields owned by other managers instead of failing with a conflict.
    public var force: Bool

    /// Options; all default to unset.
    public init(
        dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: FieldValidation? = nil, force: Bool = false
    ) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.fieldValidation = fieldValidation
        self.force = force
    }

    /// The options `stageflowctl apply` uses: field manager `stageflowctl`, strict field validation.
    public static func apply(dryRun: Bool = false, force: Bool = false) -> WriteOptions {
        WriteOptions(dryRun: dryRun, fieldManager: "stageflowctl", fieldValidation: .strict, force: force)
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager { items.append(("fieldManager", fieldManager)) }
        if let fieldValidation { items.append(("fieldValidation", fieldValidation.rawValue)) }
        if force { items.append(("force", "true")) }
        return items
    }
}
