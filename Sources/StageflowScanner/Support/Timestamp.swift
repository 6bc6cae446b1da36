import Foundation

/// RFC 3339 timestamps in UTC, as `results.json` writes them.
enum Timestamp {
    /// `2026-01-16T10:00:00Z`.
    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
