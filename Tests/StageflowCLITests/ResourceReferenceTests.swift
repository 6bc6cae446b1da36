import StageflowAPI
import StageflowCLI
import Testing

@Suite("Kind resolution")
struct ResourceReferenceTests {
    @Test(arguments: ["sj", "scanjobs", "scanjob", "ScanJob", "scanjob.stageflow.dev", "scanjobs.stageflow.dev", "SJ"])
    func resolvesEveryNameOfScanJob(_ name: String) throws {
        #expect(try ResourceReference.kind(name) == .scanJob)
    }

    @Test func resolvesOtherKinds() throws {
        #expect(try ResourceReference.kind("ss") == .scanSchedule)
        #expect(try ResourceReference.kind("scanners") == .scanner)
    }

    @Test func unknownKindsListTheKnownOnes() {
        do {
            _ = try ResourceReference.kind("pods")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains(#"doesn't have a resource type "pods""#))
            #expect("\(error)".contains("scanjobs, sj"))
        }
    }

    @Test func splitsKindSlashName() throws {
        let (kind, name) = try ResourceReference.kindAndName("sj/nightly")
        #expect(kind == .scanJob)
        #expect(name == "nightly")
        #expect(throws: CLIError.self) { try ResourceReference.kindAndName("sj/") }
    }

    @Test func resolvesPositionalForms() throws {
        let separate = try ResourceReference.kindAndNames(["scanjobs", "a", "b"])
        #expect(separate.0 == .scanJob)
        #expect(separate.1 == ["a", "b"])
        let slashed = try ResourceReference.kindAndNames(["sj/a", "scanjob/b"])
        #expect(slashed.1 == ["a", "b"])
        #expect(throws: CLIError.self) { try ResourceReference.kindAndNames(["sj/a", "ss/b"]) }
        #expect(throws: CLIError.self) { try ResourceReference.kindAndNames(["sj", "sj/b"]) }
    }

    @Test func displayNamesFollowKubectl() {
        #expect(ResourceKind.scanJob.displayName == "scanjob.stageflow.dev")
    }
}
