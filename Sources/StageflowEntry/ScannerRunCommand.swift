import ArgumentParser
import Foundation
import StageflowScanner

/// `stageflow scanner`: the scanner side of a scan, as the controller runs it inside a scanner container.
public struct ScannerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scanner",
        abstract: "Run scanners inside a scanner container.",
        subcommands: [ScannerRunCommand.self]
    )

    public init() {}
}

/// `stageflow scanner run --object-store LOC --plan KEY --scanner ID`: runs one scanner of a scan plan and
/// writes its `results.json`. Exits 0 once results are written, 2 for bad input (no such plan or scanner), 1
/// for any other failure, with one line on standard error saying what went wrong.
struct ScannerRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one scanner of a scan plan and write its results to the object store."
    )

    @Option(name: .long, help: "Object store: a directory, file:// URL or s3://bucket?endpoint=… (env STAGEFLOW_OBJECT_STORE).")
    var objectStore: String = Environment.string("STAGEFLOW_OBJECT_STORE") ?? ""

    @Option(name: .long, help: "Object key of the scan plan, artifacts/<job-uid>/plan.json (env STAGEFLOW_PLAN_KEY).")
    var plan: String = Environment.string("STAGEFLOW_PLAN_KEY") ?? ""

    @Option(name: .long, help: "Id of the scanner to run, as the plan names it (env STAGEFLOW_SCANNER_ID).")
    var scanner: String = Environment.string("STAGEFLOW_SCANNER_ID") ?? ""

    func run() async throws {
        let missing = [("--object-store", objectStore), ("--plan", plan), ("--scanner", scanner)]
            .filter { $0.1.isEmpty }.map { $0.0 }
        guard missing.isEmpty else {
            FileHandle.standardError.write(Data("stageflow scanner run: missing \(missing.joined(separator: ", "))\n".utf8))
            throw ExitCode(2)
        }
        let code = await ScannerRunner().runCommand(objectStore: objectStore, planKey: plan, scannerID: scanner)
        if code != 0 { throw ExitCode(code) }
    }
}
