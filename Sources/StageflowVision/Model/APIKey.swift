import Foundation

/// The model endpoint's API key. It is held in this wrapper, which prints as `<redacted>`, so it cannot reach a
/// log line, an error message, an artifact or an Event by accident; only the request's `Authorization` header
/// reads its value.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let value: String

    /// A key; surrounding whitespace (a file's trailing newline) is dropped.
    public init(_ value: String) {
        self.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `<redacted>`.
    public var description: String { "<redacted>" }
    /// `<redacted>`.
    public var debugDescription: String { "<redacted>" }

    /// `text` with every occurrence of the key replaced by `<redacted>`: applied to what a server says back
    /// before it is shown anywhere, in case it echoes the key.
    public func redact(_ text: String) -> String {
        value.count < 4 ? text : text.replacingOccurrences(of: value, with: "<redacted>")
    }

    /// Why a key could not be read.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        /// What is wrong, naming the file.
        public let description: String
    }

    /// The key from `file` when given (an unreadable or empty file is an error naming it), else from the
    /// environment variable `variable` (`OPENROUTER_API_KEY`), else `nil`.
    public static func load(
        file: String?, environment: [String: String] = ProcessInfo.processInfo.environment, variable: String = "OPENROUTER_API_KEY"
    ) throws -> APIKey? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw LoadError(description: "--vision-api-key-file \(file): cannot be read")
            }
            let key = APIKey(String(decoding: data, as: UTF8.self))
            guard !key.value.isEmpty else { throw LoadError(description: "--vision-api-key-file \(file): the file is empty") }
            return key
        }
        if let value = environment[variable], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return APIKey(value)
        }
        return nil
    }
}
