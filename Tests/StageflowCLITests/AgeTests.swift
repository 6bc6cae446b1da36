import Foundation
import StageflowCLI
import StageflowAPI
import Testing

@Suite("Age formatting")
struct AgeTests {
    @Test(arguments: [
        (0.0, "0s"), (-0.5, "0s"), (-5, "<invalid>"), (59, "59s"), (119, "119s"), (120, "2m"), (150, "2m30s"),
        (600, "10m"), (3 * 3600 - 1, "179m"), (3 * 3600, "3h"), (5 * 3600 + 120, "5h2m"), (47 * 3600, "47h"),
        (48 * 3600, "2d"), (50 * 3600, "2d2h"), (10 * 86400, "10d"), (800 * 86400, "2y70d"), (3000 * 86400, "8y"),
    ] as [(Double, String)])
    func formatsLikeKubectl(_ seconds: Double, _ expected: String) {
        #expect(HumanDuration.format(seconds) == expected)
    }

    @Test func measuresTimestamps() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let created = now.addingTimeInterval(-300)
        #expect(HumanDuration.since(created.formatted(.iso8601), now: now) == "5m")
        #expect(HumanDuration.since("yesterday", now: now) == "<unknown>")
    }
}
