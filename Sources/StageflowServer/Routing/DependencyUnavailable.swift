/// A dependency of a request (the object store) that failed: the client gets 503 with `message`, the log gets
/// `detail`, which can name endpoints, paths or credentials' owners.
struct DependencyUnavailable: Error, CustomStringConvertible {
    /// What the client is told.
    let message: String
    /// What the log records.
    let detail: String

    var description: String { "\(message): \(detail)" }
}
