import StageflowAPI
import StageflowCLI
import Testing

@Suite("Wait conditions")
struct WaitConditionTests {
    let job: JSONValue = [
        "metadata": ["name": "nightly", "generation": 2, "labels": ["app.kubernetes.io/name": "web"]],
        "status": [
            "phase": "Done",
            "conditions": [
                ["type": "Complete", "status": "True", "observedGeneration": 2],
                ["type": "Failed", "status": "False"],
                ["type": "Accepted", "status": "True", "observedGeneration": 1],
            ],
        ],
    ]

    @Test func parsesForms() throws {
        #expect(try WaitCondition(parsing: "condition=Complete") == .condition(type: "Complete", status: "True"))
        #expect(try WaitCondition(parsing: "condition=Failed=False") == .condition(type: "Failed", status: "False"))
        #expect(try WaitCondition(parsing: "delete") == .delete)
        #expect(throws: CLIError.self) { try WaitCondition(parsing: "condition=") }
        #expect(throws: CLIError.self) { try WaitCondition(parsing: "ready") }
    }

    @Test func conditionsMatchTypeAndStatusIgnoringCase() throws {
        #expect(try WaitCondition(parsing: "condition=complete").isSatisfied(by: job))
        #expect(try WaitCondition(parsing: "condition=Failed=false").isSatisfied(by: job))
        #expect(try !WaitCondition(parsing: "condition=Failed").isSatisfied(by: job))
        #expect(try !WaitCondition(parsing: "condition=Scanning").isSatisfied(by: job))
        #expect(try !WaitCondition(parsing: "condition=Complete").isSatisfied(by: nil))
    }

    @Test func staleConditionsDoNotCount() throws {
        #expect(try !WaitCondition(parsing: "condition=Accepted").isSatisfied(by: job))
    }

    @Test func deleteIsSatisfiedOnlyWhenGone() {
        #expect(WaitCondition.delete.isSatisfied(by: nil))
        #expect(!WaitCondition.delete.isSatisfied(by: job))
    }

    @Test func jsonPathsCompareValues() throws {
        #expect(try WaitCondition(parsing: "jsonpath={.status.phase}=Done").isSatisfied(by: job))
        #expect(try !WaitCondition(parsing: "jsonpath={.status.phase}=Failed").isSatisfied(by: job))
        #expect(try WaitCondition(parsing: "jsonpath={.status.conditions[0].type}=Complete").isSatisfied(by: job))
        #expect(try WaitCondition(parsing: "jsonpath={.status.conditions[-1].type}=Accepted").isSatisfied(by: job))
        #expect(try WaitCondition(parsing: "jsonpath={.metadata.labels['app.kubernetes.io/name']}=web").isSatisfied(by: job))
        #expect(try WaitCondition(parsing: "jsonpath={.metadata.generation}=2").isSatisfied(by: job))
        #expect(try WaitCondition(parsing: "jsonpath={.status.phase}").isSatisfied(by: job))
        #expect(try !WaitCondition(parsing: "jsonpath={.status.missing}").isSatisfied(by: job))
        #expect(throws: CLIError.self) { try WaitCondition(parsing: "jsonpath={.a[x]}=1") }
    }
}
