import Foundation

/// An `application/x-www-form-urlencoded` body: every field name with its values in order (checkboxes and
/// multiple selects repeat a name).
struct FormBody: Sendable {
    let values: [String: [String]]

    /// Parses `text`; `+` is a space, and undecodable escapes are kept as written.
    init(_ text: String) {
        var values: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
        self.values = values
    }

    /// The last value of `name`, trimmed, or `nil` when absent or blank.
    subscript(_ name: String) -> String? {
        guard let value = values[name]?.last?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
