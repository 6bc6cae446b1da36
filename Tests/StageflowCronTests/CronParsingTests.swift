import Foundation
import StageflowCron
import Testing

@Suite("Cron expressions: what is accepted, and every refusal with its message")
struct CronParsingTests {
    @Test(
        "valid expressions parse",
        arguments: [
            "* * * * *", "0 0 ? * ?", "*/15 0-6,22,23 1-31/2 JAN-jun mon-FRI", "0 0 * * 0-7", "0 0 * * 7", "5/15 * * * *",
            "59 23 31 12 *", "0 0 29 2 *", "0 0 31 4,5 *", "  0\t0 * * *  ", "@yearly", "@annually", "@monthly", "@weekly",
            "@daily", "@midnight", "@hourly", "@Daily", "00 05 01 01 SUN",
        ])
    func valid(expression: String) throws {
        let schedule = try CronSchedule(parsing: expression)
        #expect(schedule.expression == expression)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var expression: String
        var message: String
        var field: CronField?
        var testDescription: String { expression }
    }

    @Test(
        "invalid expressions are refused naming the field, the text at fault and the problem",
        arguments: [
            Refusal(expression: "", message: #""": the schedule is empty"#),
            Refusal(expression: "   ", message: #""   ": the schedule is empty"#),
            Refusal(
                expression: "* * * *",
                message: #""* * * *": expected 5 fields (minute hour day-of-month month day-of-week), found 4"#),
            Refusal(
                expression: "* * * * * *",
                message: #""* * * * * *": expected 5 fields (minute hour day-of-month month day-of-week), found 6"#),
            Refusal(expression: "60 * * * *", message: #"field 1 "60": minute must be 0-59"#, field: .minute),
            Refusal(expression: "0 25 * * *", message: #"field 2 "25": hour must be 0-23"#, field: .hour),
            Refusal(expression: "0 0 0 * *", message: #"field 3 "0": day-of-month must be 1-31"#, field: .dayOfMonth),
            Refusal(expression: "0 0 1,32 * *", message: #"field 3 "32": day-of-month must be 1-31"#, field: .dayOfMonth),
            Refusal(expression: "0 0 * 13 *", message: #"field 4 "13": month must be 1-12 or JAN-DEC"#, field: .month),
            Refusal(expression: "0 0 * FOO *", message: #"field 4 "FOO": month must be 1-12 or JAN-DEC"#, field: .month),
            Refusal(expression: "0 0 * JANUARY *", message: #"field 4 "JANUARY": month must be 1-12 or JAN-DEC"#, field: .month),
            Refusal(expression: "0 0 * * 8", message: #"field 5 "8": day-of-week must be 0-7 or SUN-SAT"#, field: .dayOfWeek),
            Refusal(
                expression: "0 0 * * MON-FUN", message: #"field 5 "MON-FUN": day-of-week must be 0-7 or SUN-SAT"#,
                field: .dayOfWeek),
            Refusal(expression: "0 JAN * * *", message: #"field 2 "JAN": hour must be 0-23"#, field: .hour),
            Refusal(expression: "x * * * *", message: #"field 1 "x": minute must be 0-59"#, field: .minute),
            Refusal(expression: "-5 * * * *", message: #"field 1 "-5": minute must be 0-59"#, field: .minute),
            Refusal(expression: "+5 * * * *", message: #"field 1 "+5": minute must be 0-59"#, field: .minute),
            Refusal(expression: "1- * * * *", message: #"field 1 "1-": minute must be 0-59"#, field: .minute),
            Refusal(expression: "1-2-3 * * * *", message: #"field 1 "1-2-3": minute must be 0-59"#, field: .minute),
            Refusal(expression: "0 0 1.5 * *", message: #"field 3 "1.5": day-of-month must be 1-31"#, field: .dayOfMonth),
            Refusal(expression: "5-3 * * * *", message: #"field 1 "5-3": range start 5 is after its end 3"#, field: .minute),
            Refusal(
                expression: "0 0 * * FRI-MON", message: #"field 5 "FRI-MON": range start 5 is after its end 1"#,
                field: .dayOfWeek),
            Refusal(expression: "*/0 * * * *", message: #"field 1 "*/0": step must be 1-60"#, field: .minute),
            Refusal(expression: "*/61 * * * *", message: #"field 1 "*/61": step must be 1-60"#, field: .minute),
            Refusal(expression: "0 */x * * *", message: #"field 2 "*/x": step must be 1-24"#, field: .hour),
            Refusal(expression: "0 0 * * */8", message: #"field 5 "*/8": step must be 1-7"#, field: .dayOfWeek),
            Refusal(expression: "1/2/3 * * * *", message: #"field 1 "1/2/3": at most one step (/) is allowed"#, field: .minute),
            Refusal(expression: "1,,2 * * * *", message: #"field 1 "1,,2": a list item is empty"#, field: .minute),
            Refusal(expression: "0 0 , * *", message: #"field 3 ",": a list item is empty"#, field: .dayOfMonth),
            Refusal(
                expression: "0 0 30 2 *", message: #"field 3 "30": no such day in the months of field 4 "2""#,
                field: .dayOfMonth),
            Refusal(
                expression: "0 0 31 APR,JUN,SEP,NOV *",
                message: #"field 3 "31": no such day in the months of field 4 "APR,JUN,SEP,NOV""#, field: .dayOfMonth),
            Refusal(
                expression: "@every 5m",
                message:
                    #""@every 5m": unknown macro; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"#),
            Refusal(
                expression: "@reboot",
                message:
                    #""@reboot": unknown macro; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"#),
            Refusal(expression: "@daily 3", message: #""@daily 3": a macro stands alone, without fields"#),
            Refusal(
                expression: "TZ=Europe/Berlin 0 3 * * *",
                message:
                    #""TZ=Europe/Berlin 0 3 * * *": TZ= and CRON_TZ= are not supported in the schedule; give the time zone in timeZone"#
            ),
            Refusal(
                expression: "CRON_TZ=UTC 0 3 * * *",
                message: #""CRON_TZ=UTC 0 3 * * *": TZ= and CRON_TZ= are not supported in the schedule; give the time zone in timeZone"#
            ),
        ])
    func refused(refusal: Refusal) {
        #expect {
            _ = try CronSchedule(parsing: refusal.expression)
        } throws: { error in
            guard let error = error as? CronError else { return false }
            return error.description == refusal.message && error.field == refusal.field
        }
    }

    @Test("the thrown error's description is the whole message")
    func message() throws {
        let error = try #require(throws: CronError.self) { try CronSchedule(parsing: "0 25 * * *") }
        #expect(error.description == #"field 2 "25": hour must be 0-23"#)
        #expect(error.text == "25")
        #expect(error.problem == "hour must be 0-23")
    }
}
