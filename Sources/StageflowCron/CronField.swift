/// The five fields of a cron expression, numbered from 1 as error messages name them.
public enum CronField: Int, CaseIterable, Sendable, Hashable {
    case minute = 1
    case hour
    case dayOfMonth
    case month
    case dayOfWeek

    /// The field's name in messages: `minute`, `hour`, `day-of-month`, `month`, `day-of-week`.
    public var name: String {
        switch self {
        case .minute: return "minute"
        case .hour: return "hour"
        case .dayOfMonth: return "day-of-month"
        case .month: return "month"
        case .dayOfWeek: return "day-of-week"
        }
    }

    /// The values a field accepts; day-of-week takes 7 as another name for Sunday, as Vixie cron does.
    var bounds: ClosedRange<Int> {
        switch self {
        case .minute: return 0...59
        case .hour: return 0...23
        case .dayOfMonth: return 1...31
        case .month: return 1...12
        case .dayOfWeek: return 0...7
        }
    }

    /// Three-letter names and the numbers they stand for (months `JAN`=1…, days `SUN`=0…), matched ignoring case.
    var names: [String: Int] {
        switch self {
        case .month:
            let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            return Dictionary(uniqueKeysWithValues: months.enumerated().map { ($1, $0 + 1) })
        case .dayOfWeek:
            let days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            return Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1, $0) })
        default:
            return [:]
        }
    }

    /// What the field accepts, as messages say it: `0-59`, `1-12 or JAN-DEC`.
    var accepted: String {
        switch self {
        case .month: return "1-12 or JAN-DEC"
        case .dayOfWeek: return "0-7 or SUN-SAT"
        default: return "\(bounds.lowerBound)-\(bounds.upperBound)"
        }
    }
}
