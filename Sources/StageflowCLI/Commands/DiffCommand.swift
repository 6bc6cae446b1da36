import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient
import StageflowReport

/// `diff NAME --baseline OTHER`: what changed between two scans, by fingerprint.
public struct DiffCommand: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare a ScanJob's report with a baseline ScanJob's: new, fixed and unchanged issues.",
        discussion: """
            Issues are matched by fingerprint (scanner, rule, page and element), so the same problem keeps its \
            identity from run to run. A baseline issue counts as fixed only when its scanner completed and visited \
            its page again; otherwise it is listed as not re-checked.
            Exit codes: 0 the diff was printed, 2 error (no such job, no report yet, server unreachable).
            """)

    /// The output formats.
    public enum Format: String, CaseIterable, Sendable, ExpressibleByArgument {
        /// Counts and the new and fixed issues, one per line.
        case text
        /// The diff with the new issues in full.
        case json
    }

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { root.global }

    /// The ScanJob.
    @Argument(help: ArgumentHelp("The ScanJob to compare.", valueName: "name"))
    public var name: String

    /// The baseline ScanJob.
    @Option(name: .long, help: ArgumentHelp("The ScanJob to compare against.", valueName: "name"))
    public var baseline: String

    /// The output format.
    @Option(name: [.customShort("o"), .customLong("format")], help: "Output format: text or json.")
    public var format: Format = .text

    /// Parsed by ArgumentParser.
    public init() {}

    /// Fetches both reports and prints the diff.
    public func run() async throws {
        try await CommandOutcome.guarding {
            let settings = try global.settings()
            let fetcher = ReportFetcher(client: settings.makeClient(), namespace: settings.namespace)
            let current = try await fetcher.report(of: name).report
            let base = try await fetcher.report(of: baseline).report
            let diff = BaselineDiff.compare(current, with: base)
            let printer = DiffPrinter(name: name, baseline: baseline)
            switch format {
            case .text: Console.write(printer.text(diff, current: current))
            case .json: Console.write(try printer.json(diff, current: current))
            }
        }
    }
}
