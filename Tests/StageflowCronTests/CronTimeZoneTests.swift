import Foundation
import StageflowCron
import Testing

@Suite("Time zones of schedules")
struct CronTimeZoneTests {
    @Test("no name is UTC")
    func defaultIsUTC() throws {
        let zone = try CronTimeZone.named(nil)
        #expect(zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_750_000_000)) == 0)
        #expect(zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_735_000_000)) == 0)
    }

    @Test(
        "IANA names are accepted",
        arguments: ["UTC", "GMT", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Etc/GMT+5", "America/Argentina/Buenos_Aires"])
    func accepted(name: String) throws {
        _ = try CronTimeZone.named(name)
    }

    @Test(
        "other names are refused, saying why",
        arguments: [
            ("", #"unknown time zone "": must not be empty; leave it out for UTC"#),
            ("Foo/Bar", #"unknown time zone "Foo/Bar": is not an IANA time zone name such as Europe/Berlin"#),
            ("europe/berlin", #"unknown time zone "europe/berlin": is not an IANA time zone name such as Europe/Berlin"#),
            ("Europe/Berlin ", #"unknown time zone "Europe/Berlin ": is not an IANA time zone name such as Europe/Berlin"#),
            ("Local", #"unknown time zone "Local": is not an IANA time zone name such as Europe/Berlin"#),
            ("GMT+5", #"unknown time zone "GMT+5": is not an IANA time zone name such as Europe/Berlin"#),
            ("UTC+01:00", #"unknown time zone "UTC+01:00": is not an IANA time zone name such as Europe/Berlin"#),
            ("../../etc/passwd", #"unknown time zone "../../etc/passwd": is not an IANA time zone name such as Europe/Berlin"#),
            ("PST", #"unknown time zone "PST": is an abbreviation, not an IANA time zone name such as Europe/Berlin"#),
            ("IST", #"unknown time zone "IST": is an abbreviation, not an IANA time zone name such as Europe/Berlin"#),
        ])
    func refused(name: String, message: String) {
        #expect {
            _ = try CronTimeZone.named(name)
        } throws: { error in
            (error as? UnknownTimeZone)?.description == message
        }
    }
}
