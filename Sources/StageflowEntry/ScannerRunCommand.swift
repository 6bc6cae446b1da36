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

/// `stageflow scanner run --object-store LOC --plan KEY --scanner ID…`: runs scanners of a scan plan and
/// writes each one's `results.json` (page scanners given together share one browser and one load per page). Exits 0 once results are written, 2 for bad input (no such plan or scanner), 1
/// for any other failure, with one line on standard error saying what went wrong.
struct ScannerRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scanners of a scan plan and write their results to the object store."
    )

    @Option(name: .long, help: "Object store: a directory, file:// URL or s3://bucket?endpoint=… (env STAGEFLOW_OBJECT_STORE).")
    var objectStore: String = Environment.string("STAGEFLOW_OBJECT_STORE") ?? ""

    @Option(name: .long, help: "Object key of the scan plan, artifacts/<job-uid>/plan.json (env STAGEFLOW_PLAN_KEY).")
    var plan: String = Environment.string("STAGEFLOW_PLAN_KEY") ?? ""

    @Option(
        name: .long,
        help: "Id of a scanner to run, as the plan names it; repeat it (or separate ids by commas) for several (env STAGEFLOW_SCANNER_ID).")
    var scanner: [String] = Environment.string("STAGEFLOW_SCANNER_ID").map { [$0] } ?? []

    /// The ids given, commas split.
    var scannerIDs: [String] {
        scanner.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        let missing = [("--object-store", objectStore), ("--plan", plan), ("--scanner", scannerIDs.joined())]
            .filter { $0.1.isEmpty }.map { $0.0 }
        guard missing.isEmpty else {
            FileHandle.standardError.write(Data("stageflow scanner run: missing \(missing.joined(separator: ", "))\n".utf8))
            throw ExitCode(2)
        }
        let code = await ScannerRunner().runCommand(objectStore: objectStore, planKey: plan, scannerIDs: scannerIDs)
        if code != 0 { throw ExitCode(code) }
    }
}
