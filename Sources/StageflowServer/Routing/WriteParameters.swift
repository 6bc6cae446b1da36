import StageflowAPI

/// The query parameters every write accepts: `dryRun`, `fieldValidation`, `fieldManager` and (for apply) `force`.
struct WriteParameters: Sendable {
    /// How unknown fields in a body are treated.
    enum FieldValidation: String, Sendable {
        case strict = "Strict"
        case warn = "Warn"
        case ignore = "Ignore"
    }

    /// `dryRun=All`: validate and answer, but store nothing.
    var dryRun: Bool
    /// `fieldValidation`, Strict by default.
    var fieldValidation: FieldValidation
    /// The manager recorded in `managedFields`; required for apply.
    var fieldManager: String?
    /// Whether `fieldManager` was given explicitly rather than taken from the User-Agent.
    var fieldManagerGiven: Bool
    /// `force=true`: an apply takes fields other managers own.
    var force: Bool

    init(query: QueryParameters, userAgent: String?) throws {
        let dryRunValues = query.all("dryRun").filter { !$0.isEmpty }
        for value in dryRunValues where value != "All" {
            throw APIStatus.badRequest("Invalid dryRun \"\(value)\": only \"All\" is supported")
        }
        dryRun = !dryRunValues.isEmpty
        if let value = query["fieldValidation"], !value.isEmpty {
            guard let policy = FieldValidation(rawValue: value) else {
                throw APIStatus.badRequest(
                    "fieldValidation \"\(value)\" is invalid: must be one of \"Ignore\", \"Warn\", or \"Strict\"")
            }
            fieldValidation = policy
        } else {
            fieldValidation = .strict
        }
        if let manager = query["fieldManager"], !manager.isEmpty {
            guard manager.count <= 128 else {
                throw APIStatus.badRequest("fieldManager: Invalid value: must be no more than 128 characters")
            }
            guard manager.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) else {
                throw APIStatus.badRequest("fieldManager: Invalid value: must only contain printable characters")
            }
            fieldManager = manager
            fieldManagerGiven = true
        } else {
            // As kube-apiserver does: the manager of a non-apply write defaults to the User-Agent's product name.
            let product = userAgent?.split(separator: "/").first.map(String.init) ?? ""
            fieldManager = product.isEmpty ? "unknown" : String(product.prefix(128))
            fieldManagerGiven = false
        }
        force = try query.bool("force")
    }
}
