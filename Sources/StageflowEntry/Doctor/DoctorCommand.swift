import ArgumentParser
import Foundation
import Logging

/// `stageflow doctor`: checks what a scan needs — the browser, axe-core, a hunspell dictionary, the scanner
/// manifests, the Podman socket, the object store and the database — and prints one line per check, with the fix
/// for each failure. Exits 1 when a check fails.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what scans need on this machine and print one line per check, with the fix for each failure."
    )

    @Option(name: .long, help: "Data directory of stageflow up (env STAGEFLOW_DATA_DIR).")
    var dataDir: String = Environment.string("STAGEFLOW_DATA_DIR") ?? "\(NSHomeDirectory())/.stageflow/data"

    @Option(name: .long, help: "Check this PostgreSQL database instead of the data directory's SQLite file (env STAGEFLOW_DATABASE_URL).")
    var databaseURL: String? = Environment.string("STAGEFLOW_DATABASE_URL")

    @OptionGroup var controllers: ControllerOptions

    func run() async throws {
        var logger = Logger(label: "stageflow.doctor")
        logger.logLevel = .critical
        let environment = ProcessInfo.processInfo.environment
        let machine = MachineChecks(environment: environment, options: controllers)
        let services = ServiceChecks(
            options: controllers, dataDirectory: URL(fileURLWithPath: dataDir, isDirectory: true), databaseURL: databaseURL,
            logger: logger)
        var findings = [machine.chromium(), machine.axeCore(), machine.hunspell(), machine.scanners()]
        findings.append(await services.podman())
        findings.append(await services.objectStore())
        findings.append(await services.database())
        for finding in findings { print(finding.line) }
        let failed = findings.filter { $0.status == .fail }.count
        print(failed == 0 ? "everything a scan needs is in place" : "\(failed) of \(findings.count) checks failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
