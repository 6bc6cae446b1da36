import ArgumentParser

/// `stageflow-bench report`: aggregate, deduplicate and fingerprint findings against decoding the same input.
struct ReportBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Measure report aggregation against decoding its input.")

    @Option(help: "Findings in total.") var findings = 100_000
    @Option(help: "Pages they are spread over.") var pages = 1_000
    @Option(help: "Scanners they come from.") var scanners = 8
    @Option(help: "Repetitions; the median is reported.") var iterations = 5

    func run() async throws {
        print(try await runReportBenchmark(findings: findings, pages: pages, scanners: scanners, iterations: iterations))
    }
}
