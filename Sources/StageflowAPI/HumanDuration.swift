import Foundation

/// Ages as kubectl prints them (`45s`, `5m30s`, `3h`, `2d`, `2y`), with the rounding of apimachinery's
/// `duration.HumanDuration`: kube-apiserver's Table `date` cells and `stageflowctl get` both use it.
public enum HumanDuration {
    /// A human-readable duration: seconds up to 2 minutes, minutes (and seconds under 10 minutes) up to 3
    /// hours, hours (and minutes under 8 hours) up to 2 days, days (and hours under 8 days) up to 2 years.
    public static func format(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.towardZero))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let rest = seconds % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rest = hours % 24
            return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The age of an RFC 3339 timestamp at `now`, or `<unknown>` when it does not parse.
    public static func since(_ timestamp: String, now: Date = Date()) -> String {
        guard let date = Timestamp.date(timestamp) else { return "<unknown>" }
        return format(now.timeIntervalSince(date))
    }
}
