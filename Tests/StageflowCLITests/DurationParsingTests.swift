import StageflowCLI
import Testing

@Suite("Duration parsing")
struct DurationParsingTests {
    @Test func parsesUnitsAndCombinations() throws {
        #expect(try Duration(parsing: "30s") == .seconds(30))
        #expect(try Duration(parsing: "5m") == .seconds(300))
        #expect(try Duration(parsing: "1h") == .seconds(3600))
        #expect(try Duration(parsing: "1h30m") == .seconds(5400))
        #expect(try Duration(parsing: "1.5h") == .seconds(5400))
        #expect(try Duration(parsing: "500ms") == .milliseconds(500))
        #expect(try Duration(parsing: "0") == .zero)
        #expect(try Duration(parsing: "-1s") == .seconds(-1))
    }

    @Test(arguments: ["30", "", "5x", "m", "1h-"])
    func rejectsMalformedDurations(_ text: String) {
        #expect(throws: CLIError.self) { try Duration(parsing: text) }
    }

    @Test func errorsSayWhatIsWrong() {
        do {
            _ = try Duration(parsing: "30")
        } catch let error as CLIError {
            #expect(error.message == #"invalid duration "30": missing unit after 30 (for example 30s, 5m or 1h)"#)
            #expect(error.exitCode == 2)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
