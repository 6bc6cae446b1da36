/// A response that does not have the expected shape.
struct ResourceDecodingError: Error, CustomStringConvertible {
    let what: String
    let problem: String

    var description: String { "malformed \(what): \(problem)" }
}
