import Foundation

/// The time zones schedules run in: IANA names (`Europe/Berlin`, `UTC`), UTC when none is given.
public enum CronTimeZone {
    /// UTC, the zone of a schedule that names none.
    public static let utc = TimeZone(identifier: "UTC")!

    /// The zone named `name`, UTC for `nil`; throws for an empty name, a name that is not in the time zone
    /// database, `Local` (the zone would depend on the machine), an offset (`GMT+5`) and an abbreviation
    /// (`PST`, `IST`: not IANA names, and ambiguous).
    public static func named(_ name: String?) throws(UnknownTimeZone) -> TimeZone {
        guard let name else { return utc }
        if name.isEmpty { throw UnknownTimeZone(name: name, problem: "must not be empty; leave it out for UTC") }
        if name == "UTC" || name == "GMT" { return utc }
        if TimeZone.abbreviationDictionary[name] != nil {
            throw UnknownTimeZone(name: name, problem: "is an abbreviation, not an IANA time zone name such as Europe/Berlin")
        }
        let offsetForm = (name.hasPrefix("GMT") || name.hasPrefix("UTC")) && name.count > 3
        guard name != "Local", !offsetForm, !name.hasPrefix("/"), !name.contains(".."),
            let zone = TimeZone(identifier: name)
        else {
            throw UnknownTimeZone(name: name, problem: "is not an IANA time zone name such as Europe/Berlin")
        }
        return zone
    }
}

/// A time zone name that is refused, and why.
public struct UnknownTimeZone: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name as given.
    public let name: String
    /// What is wrong with it.
    public let problem: String

    /// A refusal of `name`.
    public init(name: String, problem: String) {
        self.name = name
        self.problem = problem
    }

    public var description: String { "unknown time zone \"\(name)\": \(problem)" }
}
