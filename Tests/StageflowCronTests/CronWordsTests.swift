import StageflowCron
import Testing

/// Schedules said in words, as the workbench's schedule list shows them.
@Suite("Cron schedules in words")
struct CronWordsTests {
    @Test(
        "each shape of schedule reads as a person would say it",
        arguments: [
            ("* * * * *", "every minute"),
            ("*/15 * * * *", "every 15 minutes"),
            ("*/10 9-17 * * 1-5", "every 10 minutes from 09:00 to 17:59 on Monday to Friday"),
            ("0 * * * *", "every hour, on the hour"),
            ("15,45 * * * *", "every hour at minutes 15 and 45"),
            ("0 2 * * *", "at 02:00 every day"),
            ("@daily", "at 00:00 every day"),
            ("@weekly", "at 00:00 on Sunday"),
            ("@monthly", "at 00:00 on day 1 of the month"),
            ("@yearly", "at 00:00 on day 1 of the month in January"),
            ("@hourly", "every hour, on the hour"),
            ("30 3 * * MON-FRI", "at 03:30 on Monday to Friday"),
            ("0 4 * * 0,6", "at 04:00 on Saturday and Sunday"),
            ("0 4 * * 7", "at 04:00 on Sunday"),
            ("0 8,20 * * *", "at 08:00 and 20:00 every day"),
            ("0 */6 * * *", "at 00:00, 06:00, 12:00 and 18:00 every day"),
            ("5 */2 * * *", "at minute 5 of every 2 hours"),
            ("0 0 1,15 * 1", "at 00:00 on days 1 and 15 of the month or on Monday"),
            ("0 0 */2 * 1", "at 00:00 on days 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29 and 31 of the month and on Monday"),
            ("0 12 29 2 *", "at 12:00 on day 29 of the month in February"),
            ("0 6 * JAN-MAR,DEC *", "at 06:00 every day in January to March and December"),
            ("* 9 * * *", "every minute from 09:00 to 09:59"),
        ])
    func words(expression: String, expected: String) throws {
        #expect(try CronSchedule(parsing: expression).inWords == expected)
    }
}
