/// What to do with fields the schema does not know, as the `fieldValidation` query parameter of a write says.
public enum UnknownFieldPolicy: String, Sendable, Hashable, CaseIterable {
    /// Reject the request: every unknown field becomes a cause (`fieldValidation=Strict`).
    case strict = "Strict"
    /// Drop unknown fields and report each as a warning (`fieldValidation=Warn`, the server default).
    case warn = "Warn"
    /// Drop unknown fields silently (`fieldValidation=Ignore`).
    case ignore = "Ignore"

    /// Reads the `fieldValidation` query parameter; `nil` for a value Kubernetes would reject. An absent
    /// parameter means `.warn`, as on a Kubernetes API server.
    public init?(fieldValidation: String?) {
        guard let value = fieldValidation, !value.isEmpty else {
            self = .warn
            return
        }
        switch value.lowercased() {
        case "strict": self = .strict
        case "warn": self = .warn
        case "ignore": self = .ignore
        default: return nil
        }
    }
}
