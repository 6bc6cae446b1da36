/// Ages as `kubectl get` shows them (`45s`, `5m30s`, `3h`, `12d`), with the rounding of apimachinery's
/// `duration.HumanDuration`, which kube-apiserver uses for the `date` cells of Tables.
enum HumanDuration {
    /// The text for an elapsed time in seconds.
    static func string(seconds: Double) -> String {
        let totalSeconds = Int(seconds.rounded(.towardZero))
        if totalSeconds < -1 { return "<invalid>" }
        if totalSeconds < 0 { return "0s" }
        if totalSeconds < 60 * 2 { return "\(totalSeconds)s" }
        let minutes = totalSeconds / 60
        if minutes < 10 {
            let rest = totalSeconds % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = totalSeconds / 3600
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
}
