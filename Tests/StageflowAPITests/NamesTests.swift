import Foundation
import StageflowAPI
import Testing

@Suite("Names, timestamps and conditions")
struct NamesTests {
    @Test("valid DNS-1123 labels", arguments: ["a", "site", "nightly-2", "0abc", String(repeating: "a", count: 63)])
    func validNames(name: String) {
        #expect(Names.dns1123LabelProblem(name) == nil)
    }

    @Test(
        "invalid DNS-1123 labels", arguments: ["", "Site", "-a", "a-", "a_b", "a.b", String(repeating: "a", count: 64)])
    func invalidNames(name: String) {
        #expect(Names.dns1123LabelProblem(name) != nil)
    }

    @Test("the messages say what is wrong")
    func messages() {
        #expect(Names.dns1123LabelProblem("") == "must not be empty")
        #expect(Names.dns1123LabelProblem(String(repeating: "a", count: 64)) == "must be no more than 63 characters")
        #expect(Names.dns1123LabelProblem("Bad")?.contains("[a-z0-9]([-a-z0-9]*[a-z0-9])?") == true)
        #expect(Names.defaultNamespace == "default")
    }

    @Test("timestamps are RFC 3339 in UTC and parse back, with or without fractions")
    func timestamps() throws {
        let date = Date(timeIntervalSince1970: 1_795_366_664)
        let text = Timestamp.string(date)
        #expect(text == "2026-11-22T16:57:44Z")
        #expect(Timestamp.date(text) == date)
        let fractional = try #require(Timestamp.date("2026-11-22T16:57:44.500Z"))
        #expect(fractional.timeIntervalSince1970 == 1_795_366_664.5)
        #expect(Timestamp.date("yesterday") == nil)
    }

    @Test("setting a condition keeps its transition time unless the status changes")
    func conditions() {
        var conditions: [Condition] = []
        conditions.set(Condition(type: "Complete", status: .false, reason: "Running"), now: "t1")
        conditions.set(Condition(type: "Complete", status: .false, reason: "StillRunning"), now: "t2")
        #expect(conditions[type: "Complete"]?.lastTransitionTime == "t1")
        #expect(conditions[type: "Complete"]?.reason == "StillRunning")
        conditions.set(Condition(type: "Complete", status: .true, reason: "Done"), now: "t3")
        #expect(conditions[type: "Complete"]?.lastTransitionTime == "t3")
        #expect(conditions.count == 1)
        #expect(conditions[type: "Failed"] == nil)
    }
}
