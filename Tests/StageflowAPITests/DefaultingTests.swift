import StageflowAPI
import StageflowSchema
import Testing

@Suite("Defaulting")
struct DefaultingTests {
    let registry = SchemaRegistry.builtin

    @Test("a ScanJob without deadlines gets both default deadlines")
    func deadlines() {
        let defaulted = registry.applyDefaults(Fixtures.minimalScanJob(), kind: .scanJob)
        #expect(defaulted["spec"]?["deadlines"] == ["extractionSeconds": 300, "scanningSeconds": 1800])
        #expect(registry.validate(defaulted, kind: .scanJob, unknownFields: .strict).causes == [])
    }

    @Test("given deadlines are kept and only the missing one is defaulted")
    func deadlinesNotOverridden() {
        var object = Fixtures.minimalScanJob()
        object["spec"]?["deadlines"] = ["scanningSeconds": 60]
        let defaulted = registry.applyDefaults(object, kind: .scanJob)
        #expect(defaulted["spec"]?["deadlines"] == ["extractionSeconds": 300, "scanningSeconds": 60])
    }

    @Test("a null deadline is replaced by its default")
    func nullDefaulted() {
        var object = Fixtures.minimalScanJob()
        object["spec"]?["deadlines"] = ["scanningSeconds": .null]
        let defaulted = registry.applyDefaults(object, kind: .scanJob)
        #expect(defaulted[path: ["spec", "deadlines", "scanningSeconds"]] == 1800)
    }

    @Test("defaults apply only where the parent exists")
    func noParentNoDefault() {
        var object = Fixtures.minimalScanJob()
        object["spec"] = nil
        #expect(registry.applyDefaults(object, kind: .scanJob) == object)
    }

    @Test("a ScanSchedule gets its policy, suspend and history limits, and template deadlines")
    func scheduleDefaults() {
        let object: JSONValue = [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanSchedule", "metadata": ["name": "nightly"],
            "spec": [
                "schedule": "0 3 * * *",
                "jobTemplate": ["spec": ["target": ["urls": ["https://example.com/"]], "scanners": [["name": "axe"]]]],
                "failedJobsHistoryLimit": 0,
            ],
        ]
        let spec = registry.applyDefaults(object, kind: .scanSchedule)["spec"]
        #expect(spec?["concurrencyPolicy"] == "Allow")
        #expect(spec?["suspend"] == false)
        #expect(spec?["successfulJobsHistoryLimit"] == 3)
        #expect(spec?["failedJobsHistoryLimit"] == 0)
        #expect(spec?[path: ["jobTemplate", "spec", "deadlines", "scanningSeconds"]] == 1800)
    }

    @Test("defaulting a fully specified object changes nothing")
    func fullObjectUnchanged() throws {
        let job = try Fixtures.json(Fixtures.scanJob())
        #expect(registry.applyDefaults(job, kind: .scanJob) == job)
        let schedule = try Fixtures.json(Fixtures.scanSchedule())
        #expect(registry.applyDefaults(schedule, kind: .scanSchedule) == schedule)
    }

    @Test("defaulting tolerates values of the wrong type and leaves them to validation")
    func wrongTypes() {
        var object = Fixtures.minimalScanJob()
        object["spec"]?["deadlines"] = "soon"
        let defaulted = registry.applyDefaults(object, kind: .scanJob)
        #expect(defaulted["spec"]?["deadlines"] == "soon")
        #expect(
            registry.validate(defaulted, kind: .scanJob, unknownFields: .strict).causes.map(\.field) == [
                "spec.deadlines"
            ])
    }
}
