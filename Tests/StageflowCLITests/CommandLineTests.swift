import ArgumentParser
import StageflowAPI
import StageflowCLI
import Testing

@Suite("Command-line parsing and exit codes")
struct CommandLineTests {
    func report(_ arguments: [String]) -> ErrorReport? {
        do {
            var command = try Stageflowctl.parseAsRoot(arguments)
            if !(command is any AsyncParsableCommand) { try command.run() }
            return nil
        } catch {
            return ErrorReport.of(error)
        }
    }

    @Test func usageErrorsExitWithTwo() {
        #expect(report(["get"])?.exitCode == 2)
        #expect(report(["apply"])?.exitCode == 2)
        #expect(report(["get", "sj", "-o", "xml"])?.exitCode == 2)
        #expect(report(["get", "sj", "-l", "app in (a"])?.exitCode == 2)
        #expect(report(["wait", "sj/x", "--for=ready"])?.exitCode == 2)
        #expect(report(["wait", "sj/x", "--for=condition=Complete", "--timeout=30"])?.exitCode == 2)
        #expect(report(["frobnicate"])?.exitCode == 2)
    }

    @Test func helpGoesToStandardOutputWithZero() {
        let help = report(["--help"])
        #expect(help?.exitCode == 0)
        #expect(help?.toStandardOutput == true)
        #expect(help?.text.contains("apply") == true)
    }

    @Test func validCommandLinesParse() throws {
        let get = try Stageflowctl.parseAsRoot(["get", "sj", "-A", "-l", "app=web", "-o", "wide", "-w"]) as? Get
        #expect(get?.allNamespaces == true)
        #expect(get?.selector == "app=web")
        #expect(get?.output == .wide)
        #expect(get?.watch == true)
        let apply = try Stageflowctl.parseAsRoot(["apply", "-f", "a.yaml", "-f", "dir", "--dry-run=server", "-n", "team"]) as? Apply
        #expect(apply?.files == ["a.yaml", "dir"])
        #expect(apply?.dryRun == .server)
        #expect(apply?.global.namespace == "team")
        let wait = try Stageflowctl.parseAsRoot(["wait", "scanjob/x", "--for=condition=Complete", "--timeout=5m"]) as? Wait
        #expect(wait?.condition == "condition=Complete")
        let delete = try Stageflowctl.parseAsRoot(["delete", "sj", "a", "b", "--ignore-not-found", "--no-wait"]) as? Delete
        #expect(delete?.wait == false)
        #expect(delete?.ignoreNotFound == true)
    }

    @Test func serverErrorsPrintLikeKubectl() {
        let status = APIStatus.invalid(
            .scanJob, "x", causes: [APIStatus.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.target")])
        let report = ErrorReport.of(status)
        #expect(report.exitCode == 1)
        #expect(report.text == #"Error from server (Invalid): ScanJob.stageflow.dev "x" is invalid: spec.target: Required value"#)
        #expect(ErrorReport.of(CLIError("timed out waiting for the condition on scanjobs/x")).text
            == "error: timed out waiting for the condition on scanjobs/x")
    }
}

@Suite("Apply change detection")
struct ApplyChangeTests {
    let before: JSONValue = [
        "metadata": ["name": "a", "resourceVersion": "5", "generation": 1, "managedFields": [["manager": "x"]]],
        "spec": ["target": ["urls": ["https://a.example"]]],
    ]

    @Test func realAppliesCompareRevisions() {
        var after = before
        #expect(!Apply.changed(from: before, to: after, dryRun: false))
        after["metadata"]?["resourceVersion"] = "6"
        #expect(Apply.changed(from: before, to: after, dryRun: false))
    }

    @Test func dryRunsCompareContentIgnoringBookkeeping() {
        var after = before
        after["metadata"]?["managedFields"] = [["manager": "stageflowctl"]]
        #expect(!Apply.changed(from: before, to: after, dryRun: true))
        after["spec"]?["target"] = ["urls": ["https://b.example"]]
        #expect(Apply.changed(from: before, to: after, dryRun: true))
    }
}
