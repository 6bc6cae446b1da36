import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// `scan URL…`: a one-shot scan: create a ScanJob, optionally watch it to the end, summarise and gate.
public struct ScanCommand: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan URLs now: create a ScanJob, watch its progress, print a summary and apply the CI gate.",
        discussion: """
            Without --scanner, the security-headers and link-checker scanners run; names are checked against the \
            Scanners the server has registered (stageflowctl get scanners). --fail-on, --fail-on-new and \
            --fail-on-review imply --wait.
            Progress is a bar redrawn in place on a terminal and one line per change otherwise.
            Exit codes: 0 pass, 1 the gate failed, 2 error (bad input, unknown scanner, the scan failed or timed out, \
            server unreachable), 3 scan incomplete (no scanner completed, so there is no score).
            """)

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { root.global }

    /// What to scan.
    @Argument(help: ArgumentHelp("Absolute http(s) URLs to scan (at most 100).", valueName: "url"))
    public var urls: [String] = []

    /// Which scanners.
    @Option(name: .customLong("scanner"), help: ArgumentHelp("A scanner to run; repeat for more.", valueName: "name"))
    public var scanners: [String] = []

    /// A fixed job name.
    @Option(name: .long, help: ArgumentHelp("Name of the ScanJob (default: generated, scan-xxxxx).", valueName: "name"))
    public var name: String?

    /// Watch to the end.
    @Flag(name: .long, help: "Watch the scan until it finishes, then print its summary.")
    public var wait = false

    /// How long to wait.
    @Option(name: .long, help: "How long --wait waits, e.g. 90s, 10m; negative waits without limit.")
    public var timeout = "30m"

    /// Ask to scan private addresses.
    @Flag(
        name: .long,
        help: "Ask to scan loopback and private addresses; honoured only when the server allows private targets.")
    public var allowPrivateTargets = false

    /// The baseline job.
    @Option(name: .long, help: ArgumentHelp("An earlier ScanJob to diff against (for --fail-on-new).", valueName: "name"))
    public var baseline: String?

    /// The gate.
    @OptionGroup public var gate: GateOptions

    /// Parsed by ArgumentParser.
    public init() {}

    /// Checks the URLs, name and timeout before anything is sent.
    public func validate() throws {
        _ = try CLIError.usage { try request(namespace: Names.defaultNamespace).validate() }
        _ = try CLIError.usage { try Duration(parsing: timeout) }
    }

    func request(namespace: String) throws -> ScanRequest {
        ScanRequest(
            urls: urls, scanners: scanners.isEmpty ? ScanRequest.defaultScanners : scanners, name: name,
            namespace: namespace, allowPrivateTargets: allowPrivateTargets, baseline: baseline,
            failOn: try gate.failOnSeverity())
    }

    /// Creates the job, then watches, summarises and gates when asked.
    public func run() async throws {
        try await CommandOutcome.guarding {
            let settings = try global.settings()
            let session = ScanSession(client: settings.makeClient(), style: ProgressDisplay.styleForStandardOutput())
            let request = try request(namespace: settings.namespace)
            try await session.check(request)
            let jobName = try await session.create(request)
            Console.out("scanjob.stageflow.dev/\(jobName) created")
            guard wait || gate.isSet else { return }
            let limit = try Duration(parsing: timeout)
            let job = try await session.waitFinished(name: jobName, namespace: settings.namespace, timeout: limit < .zero ? nil : limit)
            Console.out(ScanSession.summary(of: job, server: settings.server, namespace: settings.namespace).joined(separator: "\n"))
            try await session.conclude(job: job, name: jobName, namespace: settings.namespace, gate: gate)
        }
    }
}
