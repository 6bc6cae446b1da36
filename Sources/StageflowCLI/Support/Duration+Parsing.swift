import Foundation

/// Durations written as kubectl and Go write them: `30s`, `5m`, `1h30m`, `1.5h`, `500ms`, `0`.
extension Duration {
    /// Parses a duration: one or more decimal numbers each followed by a unit (`ns`, `us`, `µs`, `ms`, `s`,
    /// `m`, `h`), optionally signed; a bare `0` is zero.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func invalid(_ why: String) -> CLIError {
            CLIError("invalid duration \"\(text)\": \(why) (for example 30s, 5m or 1h)", exitCode: 2)
        }
        var characters = Substring(trimmed)
        var negative = false
        if let sign = characters.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            characters = characters.dropFirst()
        }
        if characters == "0" {
            self = .zero
            return
        }
        guard !characters.isEmpty else { throw invalid("it is empty") }
        var total: Duration = .zero
        while !characters.isEmpty {
            let number = characters.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { throw invalid("expected a number") }
            characters = characters.dropFirst(number.count)
            let unit = characters.prefix { !$0.isNumber && $0 != "." }
            characters = characters.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            case "": throw invalid("missing unit after \(number)")
            default: throw invalid("unknown unit \"\(unit)\"")
            }
            total += .nanoseconds(Int64((value * scale * 1e9).rounded()))
        }
        self = negative ? .zero - total : total
    }

    /// Whole and fractional seconds as a `Double`.
    var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
