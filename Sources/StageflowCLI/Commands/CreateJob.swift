import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// `create job [NAME] --from=scanschedule/SCHEDULE`: runs a schedule now, as `kubectl create job
/// --from=cronjob/…` runs a CronJob: a ScanJob from the schedule's `jobTemplate`, labelled with and owned by the
/// schedule, and diffed against its most recent Done run, as the schedule's own runs are.
public struct CreateJob: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Run a ScanSchedule now: create a ScanJob from its template (--from=scanschedule/NAME).")

    /// The parent command, through which the shared flags are read.
    @ParentCommand public var create: Create

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { create.root.global }

    /// The new job's name; `<schedule>-manual-<unix seconds>` without one.
    @Argument(help: ArgumentHelp("Name of the new ScanJob (default <schedule>-manual-<time>).", valueName: "name"))
    public var name: String?

    /// The schedule to run.
    @Option(name: .long, help: ArgumentHelp("The schedule whose template to run: scanschedule/NAME.", valueName: "kind/name"))
    public var from: String

    /// Dry-run mode.
    @Option(name: .customLong("dry-run"), help: "none or server.")
    public var dryRun: Apply.DryRun = .none

    /// Parsed by ArgumentParser.
    public init() {}

    /// Checks `--from`.
    public func validate() throws {
        _ = try Self.scheduleName(from)
        if dryRun == .client { throw ValidationError("--dry-run=client is not supported by create job; use --dry-run=server") }
    }

    /// The schedule's name in `scanschedule/NAME` (any spelling of the kind).
    static func scheduleName(_ reference: String) throws -> String {
        let parts = reference.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty, (try? ResourceReference.kind(parts[0])) == .scanSchedule else {
            throw ValidationError("--from must be scanschedule/NAME, not \"\(reference)\"")
        }
        return parts[1]
    }

    /// Reads the schedule and its runs, creates the job.
    public func run() async throws {
        let settings = try global.settings()
        let client = settings.makeClient()
        let scheduleName = try Self.scheduleName(from)
        let schedule = try await client.get(.scanSchedule, name: scheduleName, namespace: settings.namespace)
        let runs = try await client.listAll(
            .scanJob, namespace: settings.namespace, options: ListOptions(labelSelector: try LabelSelector.validated("\(ScheduledJobBuilder.scheduleLabel)=\(scheduleName)")))
        let job = ScheduledJobBuilder(schedule: schedule).manualRun(named: name, at: Date(), runs: runs.items)
        let jobName = job[path: ["metadata", "name"]]?.stringValue ?? ""
        let created = try await client.create(job, namespace: settings.namespace, options: WriteOptions(dryRun: dryRun == .server))
        let baseline = created[path: ["spec", "baselineRef", "name"]]?.stringValue
        Console.out(
            "scanjob.stageflow.dev/\(jobName) created" + (dryRun == .server ? " (server dry run)" : "")
                + (baseline.map { " (baseline \($0))" } ?? ""))
    }
}

/// `create`: makes objects from other objects (`create job --from=scanschedule/NAME`).
public struct Create: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        abstract: "Create an object from another one: create job --from=scanschedule/NAME runs a schedule now.",
        subcommands: [CreateJob.self])

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Parsed by ArgumentParser.
    public init() {}
}
