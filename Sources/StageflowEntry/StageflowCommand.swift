import ArgumentParser

/// `stageflow`: runs the parts of Stageflow — all of them in one process (`up`) or one at a time.
public struct StageflowCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stageflow",
        abstract: "Self-hosted website scan workbench: API server, controllers and scanners.",
        subcommands: [UpCommand.self, APIServerCommand.self]
    )

    public init() {}
}
