import Foundation
import StageflowAPI

/// The query string of a request, decoded as Go's `url.ParseQuery` does (`+` is a space), so selectors
/// written by kubectl arrive intact.
struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    /// Parses `a=1&b=x+y&c`.
    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[key, default: []].append(value)
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value of a parameter.
    subscript(_ key: String) -> String? { values[key]?.first }

    /// Every value of a parameter (`dryRun=All&dryRun=All`).
    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// A boolean parameter: `true`/`1` are true, `false`/`0`/absent are false; anything else is a 400.
    func bool(_ key: String) throws -> Bool {
        guard let value = self[key] else { return false }
        switch value.lowercased() {
        case "true", "1", "": return true
        case "false", "0": return false
        default: throw APIStatus.badRequest("invalid value \"\(value)\" for \(key): must be true or false")
        }
    }

    /// A non-negative integer parameter, or `nil` when absent; anything else is a 400.
    func integer(_ key: String) throws -> Int64? {
        guard let value = self[key], !value.isEmpty else { return nil }
        guard let number = Int64(value), number >= 0 else {
            throw APIStatus.badRequest("invalid value \"\(value)\" for \(key): must be a non-negative integer")
        }
        return number
    }
}
