import Foundation

/// RFC 3339 timestamps in UTC, as `results.json` writes them.
enum Timestamp {
    /// `2026-01-16T10:00:00.125Z`: milliseconds, so a job's timeline shows how long a quick scanner took.
    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
