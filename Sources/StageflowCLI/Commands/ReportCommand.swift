import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient
import StageflowReport

/// `report NAME -o json|html|md|sarif|junit`: a ScanJob's unified report, rendered here, with the CI gate.
public struct ReportCommand: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print or save a ScanJob's report as JSON, HTML, Markdown, SARIF or JUnit, and apply the CI gate.",
        discussion: """
            Examples: report nightly -o html --output report.html; report nightly -o sarif --output scan.sarif \
            --fail-on serious; report nightly -o md --audience executive; report nightly --fail-on serious \
            --standard wcag21aa --fail-on-review.
            Exit codes: 0 pass, 1 the gate failed (--fail-on, --fail-on-new, --fail-on-review), 2 error (no such \
            job, no report yet, server unreachable), 3 scan incomplete (no scanner completed, so there is no score).
            """)

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { root.global }

    /// The ScanJob.
    @Argument(help: ArgumentHelp("The ScanJob's name.", valueName: "name"))
    public var name: String

    /// The rendering.
    @Option(
        name: [.customShort("o"), .customLong("format")],
        help: ArgumentHelp("Output format: json, html, md, sarif or junit.", valueName: "format"))
    public var format: ReportFormat = .json

    /// The audience.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "developer, content or executive: the tab the HTML report opens on; executive Markdown keeps the headline and top risks.",
            valueName: "audience"))
    public var audience: ReportAudience?

    /// Where to write.
    @Option(name: .customLong("output"), help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "file"))
    public var outputFile: String?

    /// The gate.
    @OptionGroup public var gate: GateOptions

    /// Parsed by ArgumentParser.
    public init() {}

    /// Checks the audience applies to the format.
    public func validate() throws {
        if audience != nil, format != .html, format != .md {
            throw ValidationError("--audience applies to -o html and -o md only")
        }
    }

    /// Fetches, renders, writes, then gates.
    public func run() async throws {
        try await CommandOutcome.guarding {
            let settings = try global.settings()
            let fetcher = ReportFetcher(client: settings.makeClient(), namespace: settings.namespace)
            let (stored, report) = try await fetcher.report(of: name)
            var rendering = ReportRendering(format: format, audience: audience ?? .developer)
            if gate.isSet { rendering.gate = try gate.evaluate(report) }
            if let threshold = try gate.failOnSeverity() { rendering.junitThreshold = threshold }
            if format == .html {
                let screenshots = await fetcher.screenshots(of: name, report: report)
                rendering.screenshots = screenshots.images
                rendering.omittedScreenshots = Set(screenshots.omitted)
                if !screenshots.missing.isEmpty {
                    Console.err(
                        "warning: \(screenshots.missing.count) screenshot(s) could not be fetched; the report shows those pages without them")
                }
            }
            let data = try rendering.render(report, stored: stored)
            if let outputFile {
                do {
                    try data.write(to: URL(fileURLWithPath: outputFile), options: .atomic)
                } catch {
                    throw CLIError("cannot write \(outputFile): \(error.localizedDescription)", exitCode: 2)
                }
                Console.err("wrote the \(format.rawValue) report of scanjobs/\(name) to \(outputFile)")
            } else {
                try? FileHandle.standardOutput.write(contentsOf: data)
            }
            try GateOptions.requireScore(report, name: name)
            if report.summary.partial, let note = report.summary.scoreNote { Console.err("warning: \(note)") }
            try gate.check(report)
        }
    }
}
