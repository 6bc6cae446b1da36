import StageflowAPI
import StageflowCron

/// The checks of a ScanSchedule that its schema cannot express: the cron expression and the time zone parse,
/// and the name leaves room for the suffix of its jobs (`<schedule>-<scheduled time in minutes>`).
enum ScheduleValidation {
    /// The longest schedule name: a job's name adds `-` and up to ten digits and must stay a DNS label.
    static let maximumNameLength = 52

    /// Every problem with the schedule, name and time zone of a ScanSchedule, as causes; none for other kinds.
    static func causes(of object: JSONValue, kind: ResourceKind) -> [APIStatus.Cause] {
        guard kind == .scanSchedule else { return [] }
        var causes: [APIStatus.Cause] = []
        if let name = object[path: ["metadata", "name"]]?.stringValue, name.utf8.count > maximumNameLength {
            causes.append(
                invalid(
                    "metadata.name", name,
                    "must be no more than \(maximumNameLength) characters, so that the names of its jobs stay within 63"))
        }
        if let schedule = object[path: ["spec", "schedule"]]?.stringValue {
            do throws(CronError) {
                _ = try CronSchedule(parsing: schedule)
            } catch {
                causes.append(invalid("spec.schedule", schedule, error.field == nil ? error.problem : error.description))
            }
        }
        if let zone = object[path: ["spec", "timeZone"]]?.stringValue {
            do throws(UnknownTimeZone) {
                _ = try CronTimeZone.named(zone)
            } catch {
                causes.append(invalid("spec.timeZone", zone, "unknown time zone: \(error.problem)"))
            }
        }
        return causes
    }

    private static func invalid(_ field: String, _ value: String, _ problem: String) -> APIStatus.Cause {
        .init(reason: "FieldValueInvalid", message: "Invalid value: \(JSONValue.string(value).jsonString()): \(problem)", field: field)
    }
}
