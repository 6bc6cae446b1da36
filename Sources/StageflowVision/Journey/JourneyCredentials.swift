import Foundation

/// Test accounts the vision controller holds, by name: one JSON file per secret in `--vision-secrets-dir`
/// (`<name>.json`, an object of string fields such as `{"username": "…", "password": "…"}`). A job names a secret
/// (`credentials: {secretRef: name}`), never its values; the model sees only the field names and types
/// placeholders (`{{password}}`), which are filled in at the keyboard; recorded steps keep the placeholders.
public struct CredentialStore: Sendable {
    private let directory: URL?

    /// Secrets read from `directory` (none without one).
    public init(directory: URL?) {
        self.directory = directory
    }

    /// Why a secret cannot be used.
    public struct MissingSecret: Error, CustomStringConvertible, Sendable {
        /// What is missing and where it was looked for.
        public let description: String
    }

    /// The fields of secret `name`.
    public func secret(_ name: String) throws -> [String: String] {
        guard name.range(of: "^[a-z0-9][a-z0-9.-]{0,62}$", options: .regularExpression) != nil else {
            throw MissingSecret(description: "credentials.secretRef \"\(name)\" is not a valid secret name")
        }
        guard let directory else {
            throw MissingSecret(description: "the job names the secret \"\(name)\", but the vision controller has no --vision-secrets-dir")
        }
        let file = directory.appendingPathComponent("\(name).json")
        guard let data = FileManager.default.contents(atPath: file.path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw MissingSecret(description: "the secret \"\(name)\" is not held by the vision controller (no readable \(name).json in its secrets directory)")
        }
        return object.compactMapValues { $0 as? String }
    }
}

/// A journey's test account: placeholders in typed text become values at the keyboard only.
struct JourneyCredentials: Sendable {
    let fields: [String: String]

    static let empty = JourneyCredentials(fields: [:])

    /// The field names the model may use as `{{name}}`.
    var names: [String] { fields.keys.sorted() }

    /// `text` with `{{field}}` replaced by the field's value.
    func fill(_ text: String) -> String {
        fields.reduce(text) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
    }

    /// `text` with every field's value replaced by its placeholder, for anything shown or stored.
    func mask(_ text: String) -> String {
        fields.sorted { $0.value.count > $1.value.count }.reduce(text) { result, field in
            field.value.count < 3 ? result : result.replacingOccurrences(of: field.value, with: "{{\(field.key)}}")
        }
    }
}
