import Foundation
import Logging
import StageflowAPI
import StageflowObjectStore
import StageflowReport

/// Runs a scanner whose manifest has `entry: {command: [...]}` (the contract is in
/// `manifests/plugins/PLUGINS.md`): the plan goes to a local file, the command runs in a scratch directory
/// with the paths in its environment (and in `{plan}`, `{results}`, `{evidence}`, `{scanner}` placeholders of
/// its arguments), and what it leaves in the results file and the evidence directory is read back.
struct ExecPluginRunner {
    var command: [String]
    var plan: ScanPlan
    var scanner: PlannedScanner
    var evidence: EvidenceWriter
    var environment: [String: String]
    var temporaryDirectory: URL
    var logger: Logger

    /// The environment variables of the contract.
    enum Variable {
        static let plan = "STAGEFLOW_PLAN"
        static let results = "STAGEFLOW_RESULTS"
        static let evidence = "STAGEFLOW_EVIDENCE_DIR"
        static let scanner = "STAGEFLOW_SCANNER"
        static let config = "STAGEFLOW_SCANNER_CONFIG"
        static let jobUID = "STAGEFLOW_JOB_UID"
        static let deadline = "STAGEFLOW_DEADLINE_SECONDS"
    }

    /// Runs the plugin and returns its results, severities still raw where it gave only raw ones (the
    /// runner maps them).
    func run(deadline: ContinuousClock.Instant) async throws -> ScannerResults {
        let workDirectory = temporaryDirectory.appendingPathComponent("stageflow-plugin-\(scanner.id)-\(UUID().uuidString)")
        let manager = FileManager.default
        let planFile = workDirectory.appendingPathComponent("plan.json")
        let resultsFile = workDirectory.appendingPathComponent("results.json")
        let evidenceDirectory = workDirectory.appendingPathComponent("evidence", isDirectory: true)
        do {
            try manager.createDirectory(at: evidenceDirectory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(plan).write(to: planFile)
        } catch {
            throw ScannerRunError(.scannerFailed, "cannot prepare the plugin's directory \(workDirectory.path): \(error)")
        }
        defer { try? manager.removeItem(at: workDirectory) }

        let secondsLeft = max(0, Int((ContinuousClock.now.duration(to: deadline)).components.seconds))
        var variables = Self.withoutCredentials(environment)
        variables[Variable.plan] = planFile.path
        variables[Variable.results] = resultsFile.path
        variables[Variable.evidence] = evidenceDirectory.path
        variables[Variable.scanner] = scanner.id
        variables[Variable.config] = (scanner.config ?? .object([:])).jsonString()
        variables[Variable.jobUID] = plan.job.uid
        variables[Variable.deadline] = String(secondsLeft)
        let placeholders = [
            "{plan}": planFile.path, "{results}": resultsFile.path, "{evidence}": evidenceDirectory.path,
            "{scanner}": scanner.id,
        ]
        let arguments = command.map { argument in
            placeholders.reduce(argument) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
        logger.info("running plugin \(scanner.id): \(arguments.joined(separator: " "))")
        let child = ChildProcess(
            arguments: arguments, environment: variables,
            workingDirectory: URL(fileURLWithPath: manager.currentDirectoryPath),
            stderrFile: workDirectory.appendingPathComponent("stderr.log"))
        let outcome = try await child.run(until: deadline)
        if !outcome.stderrTail.isEmpty {
            FileHandle.standardError.write(Data((outcome.stderrTail + "\n").utf8))
        }
        try check(outcome, arguments: arguments)

        guard let data = manager.contents(atPath: resultsFile.path) else {
            throw ScannerRunError(
                .scannerFailed, "plugin \(scanner.id) exited 0 but wrote no results file (\(Variable.results))")
        }
        try await uploadEvidence(from: evidenceDirectory)
        return try PluginResultsDecoder(scannerID: scanner.id, mapping: SeverityMapping(scanner.severityMapping))
            .decode(data)
    }

    private func check(_ outcome: ChildProcess.Outcome, arguments: [String]) throws {
        let detail = outcome.stderrTail.isEmpty ? "" : ": " + Self.lastLine(of: outcome.stderrTail)
        if outcome.timedOut {
            throw ScannerRunError(.scannerFailed, "plugin \(scanner.id) did not finish within its time budget and was stopped")
        }
        if outcome.signalled {
            throw ScannerRunError(.scannerFailed, "plugin \(scanner.id) was killed by signal \(outcome.status)\(detail)")
        }
        if outcome.status != 0 {
            throw ScannerRunError(.scannerFailed, "plugin \(scanner.id) exited with status \(outcome.status)\(detail)")
        }
    }

    /// Copies every file of the evidence directory to `evidence/<relative path>` in the object store.
    private func uploadEvidence(from directory: URL) async throws {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return
        }
        let root = directory.resolvingSymlinksInPath().path
        var files: [URL] = []
        while let url = enumerator.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(url) }
        }
        for file in files.sorted(by: { $0.path < $1.path }) {
            let path = file.resolvingSymlinksInPath().path
            guard path.hasPrefix(root + "/") else { continue }
            let name = String(path.dropFirst(root.count + 1))
            do {
                try await evidence.write(name, data: try Data(contentsOf: file), contentType: nil)
            } catch let error as ObjectStoreError where error.kind == .invalidKey {
                logger.warning("plugin evidence file \(name) skipped: \(error.message)")
            } catch {
                throw ScannerRunError(.objectStore, "cannot store plugin evidence \(name): \(error)")
            }
        }
    }

    /// The runner's environment minus what a third-party program must not see: object-store and cloud
    /// credentials (`AWS_*`), Stageflow's own settings (`STAGEFLOW_*`, which may hold store or database URLs),
    /// and anything named like a secret.
    static func withoutCredentials(_ environment: [String: String]) -> [String: String] {
        let secretWords = ["SECRET", "PASSWORD", "PASSWD", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "CREDENTIAL", "PRIVATE_KEY"]
        return environment.filter { name, _ in
            let upper = name.uppercased()
            return !upper.hasPrefix("AWS_") && !upper.hasPrefix("STAGEFLOW_") && !secretWords.contains { upper.contains($0) }
        }
    }

    private static func lastLine(of text: String) -> String {
        let line = text.split(separator: "\n").last.map(String.init) ?? text
        return line.count > 300 ? String(line.suffix(300)) : line
    }
}
