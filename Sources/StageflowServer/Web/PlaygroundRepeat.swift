/// The playground's "Repeat this scan" choice: not at all, daily or weekly (Mondays) at a time of day, or on a
/// cron expression; in a time zone. A repeated scan becomes a ScanSchedule whose template is the scan.
struct PlaygroundRepeat: Sendable, Equatable {
    /// The cron expression (`spec.schedule`).
    var schedule: String
    /// The IANA time zone (`spec.timeZone`), `nil` for UTC.
    var timeZone: String?

    /// A value the form holds that cannot make a schedule, with the element to fix.
    struct Problem: Error, Equatable {
        var message: String
        var elementID: String
    }

    /// The choices of the `repeat` select, in order, with their labels.
    static let choices: [(value: String, label: String)] = [
        ("none", "Do not repeat"), ("daily", "Daily"), ("weekly", "Weekly, on Mondays"), ("cron", "On a cron schedule"),
    ]

    /// The schedule the form asks for, `nil` when it asks for none. The cron expression and the time zone are
    /// checked by the API's admission, which names `spec.schedule` or `spec.timeZone`.
    static func from(_ form: FormBody) throws(Problem) -> PlaygroundRepeat? {
        let choice = form["repeat"] ?? "none"
        let zone = form["timeZone"]
        switch choice {
        case "none":
            return nil
        case "daily", "weekly":
            let (hour, minute) = try time(form["repeatTime"] ?? "03:00")
            return PlaygroundRepeat(schedule: "\(minute) \(hour) * * " + (choice == "daily" ? "*" : "1"), timeZone: zone)
        case "cron":
            guard let expression = form["repeatCron"] else {
                throw Problem(message: "spec.schedule: enter a cron expression, such as 0 3 * * 1-5", elementID: "repeat-cron")
            }
            return PlaygroundRepeat(schedule: expression, timeZone: zone)
        default:
            throw Problem(message: "repeat: choose none, daily, weekly or cron, not \"\(choice)\"", elementID: "repeat")
        }
    }

    /// `HH:MM` as hour and minute.
    static func time(_ text: String) throws(Problem) -> (Int, Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour),
            (0...59).contains(minute)
        else {
            throw Problem(message: "repeat time: enter a time of day as HH:MM, not \"\(text)\"", elementID: "repeat-time")
        }
        return (hour, minute)
    }
}
