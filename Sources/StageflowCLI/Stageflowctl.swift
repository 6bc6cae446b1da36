import ArgumentParser
import Foundation

/// `stageflowctl`: the command-line client of the Stageflow API, in the manner of kubectl.
///
/// Exit codes: 0 success, 1 failure, 2 usage error; the CI commands (`scan`, `report`, `diff`, `project`) exit 0
/// on pass, 1 when the gate failed, 2 on any error and 3 when the scan finished without a score (no scanner
/// completed).
public struct Stageflowctl: AsyncParsableCommand {
    /// The command tree; a new command is a new file with its struct and one more entry in `commands`.
    public static let configuration = CommandConfiguration(
        commandName: "stageflowctl",
        abstract: "Manage Stageflow scans: apply manifests, inspect and wait for ScanJobs, scan, report and gate CI.",
        discussion: """
            The server comes from --server, STAGEFLOW_SERVER, or server: in ~/.stageflow/config.yaml \
            (default http://127.0.0.1:8080); the token likewise from --token, STAGEFLOW_TOKEN or token:.
            The options below may be given before or after the subcommand name.
            Kinds are named by kind, plural, singular or short name: ScanJob, scanjobs, scanjob, sj.
            """,
        version: "0.1.0",
        subcommands: commands)

    /// Every subcommand, in the order help lists them.
    public static let commands: [any ParsableCommand.Type] = [
        Apply.self, Get.self, Describe.self, Delete.self, Create.self, Wait.self, ScanCommand.self, ReportCommand.self, DiffCommand.self,
        ProjectCommand.self,
    ]

    /// Flags every command shares, accepted before or after the command name.
    @OptionGroup public var global: GlobalOptions

    /// Parsed by ArgumentParser.
    public init() {}

    /// Parses the process arguments, runs the command and exits with its code.
    public static func main() async -> Never {
        // A parent that started us from a thread blocking SIGINT or SIGTERM (Swift concurrency threads do) would
        // leave those pending forever; project mode must see them to stop its dev server.
        var empty = sigset_t()
        sigemptyset(&empty)
        sigprocmask(SIG_SETMASK, &empty, nil)
        let code = await run(arguments: nil)
        Foundation.exit(code)
    }

    /// Parses `arguments` (the process arguments when `nil`), runs the command, prints any failure and returns
    /// the exit code.
    public static func run(arguments: [String]?) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let report = ErrorReport.of(error)
            if !report.text.isEmpty {
                if report.toStandardOutput { Console.out(report.text) } else { Console.err(report.text) }
            }
            return report.exitCode
        }
    }
}
