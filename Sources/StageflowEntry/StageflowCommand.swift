import ArgumentParser
import StageflowAPI

/// `stageflow`: runs the parts of Stageflow — all of them in one process (`up`) or one at a time.
public struct StageflowCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stageflow",
        abstract: "Self-hosted website scan workbench: API server, controllers and scanners.",
        version: StageflowRelease.version,
        subcommands: [
            UpCommand.self, APIServerCommand.self, ControllerCommand.self, VisionCommand.self, ScannerCommand.self, ArchiveCommand.self,
            VersionCommand.self, DoctorCommand.self,
        ]
    )

    public init() {}

    /// Parses the command line and runs the chosen command. Top-level code would pick argument-parser's
    /// synchronous `main()`, which cannot run asynchronous commands; inside an `async` function the asynchronous
    /// one is chosen.
    public static func runFromCommandLine() async {
        await main()
    }
}
