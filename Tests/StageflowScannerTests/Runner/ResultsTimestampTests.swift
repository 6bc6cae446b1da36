import Foundation
import Testing

@testable import StageflowScanner

/// The times `results.json` records: a job's timeline reads a scanner's run from them, so whole seconds would make
/// a 40 ms scanner look like it took 0 ms or 1 s.
@Suite("results.json timestamps")
struct ResultsTimestampTests {
    @Test("RFC 3339 in UTC with milliseconds")
    func milliseconds() {
        #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 1_800_000_000.125)) == "2027-01-15T08:00:00.125Z")
    }
}
