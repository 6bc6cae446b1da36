import ArgumentParser

/// `stageflow-bench`: measurements of Stageflow's parts, each a subcommand.
struct StageflowBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stageflow-bench",
        abstract: "Measure Stageflow components.",
        subcommands: [
            StoreBenchmark.self, ControllerBenchmark.self, IdleBenchmark.self, ReportBenchmarkCommand.self, ScannerBenchmark.self,
            VisionBenchmark.self, APIServerBenchmark.self, ScheduleBenchmark.self, LifecycleBenchmark.self,
        ]
    )

    /// Parses the command line and runs the chosen subcommand. Top-level code would pick the synchronous
    /// `main()`, which cannot run asynchronous subcommands; inside an `async` function the asynchronous one wins.
    static func runFromCommandLine() async {
        await main()
    }
}
