import Foundation

/// Rules for object names, label keys and timestamps shared by the server and clients.
public enum Names {
    /// Checks a DNS-1123 label (`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, at most 63 characters), returning what is
    /// wrong, or `nil` when the name is valid.
    public static func dns1123LabelProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count > 63 { return "must be no more than 63 characters" }
        let bytes = Array(name.utf8)
        func allowed(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard allowed(bytes.first!), allowed(bytes.last!),
            bytes.allSatisfy({ allowed($0) || $0 == UInt8(ascii: "-") })
        else {
            return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        }
        return nil
    }

    /// The namespace used when a request names none.
    public static let defaultNamespace = "default"
}

/// RFC 3339 timestamps as the API writes them (`2026-11-22T16:44:24Z`).
public enum Timestamp {
    /// Formats a date in UTC with second precision.
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// The current time.
    public static func now() -> String { string(Date()) }

    /// RFC 3339 with microseconds (Kubernetes' `MicroTime`), for records renewed more often than once a second.
    public static func microString(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down)
        let micros = Int((date.timeIntervalSince1970 - whole) * 1_000_000)
        let base = string(Date(timeIntervalSince1970: whole))
        return String(base.dropLast()) + "." + String(format: "%06d", micros) + "Z"
    }

    /// Parses an RFC 3339 timestamp, with or without fractional seconds.
    public static func date(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
