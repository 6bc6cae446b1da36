import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// `get KIND [NAME…]`: a table from the server's Table rendering, or the objects as YAML, JSON or names;
/// `-w` keeps printing as changes arrive.
public struct Get: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        abstract: "Display one or many resources.",
        discussion: "Examples: get scanjobs; get sj nightly -o yaml; get sj -A -w; get scanjob/nightly -o json.")

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { root.global }

    /// `KIND [NAME…]` or `KIND/NAME…`.
    @Argument(help: ArgumentHelp("KIND [NAME…] or KIND/NAME…", valueName: "resource"))
    public var resources: [String] = []

    /// List across all namespaces.
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List across all namespaces.")
    public var allNamespaces = false

    /// Label selector.
    @Option(name: [.customShort("l"), .customLong("selector")], help: "Label selector, e.g. app=web,tier!=db.")
    public var selector: String?

    /// Field selector.
    @Option(name: .customLong("field-selector"), help: "Field selector, e.g. metadata.name=nightly.")
    public var fieldSelector: String?

    /// Output format.
    @Option(name: [.short, .long], help: "table, wide, yaml, json or name.")
    public var output: OutputFormat = .table

    /// Watch after listing.
    @Flag(name: [.short, .long], help: "After listing, watch for changes.")
    public var watch = false

    /// Watch without listing first.
    @Flag(name: .customLong("watch-only"), help: "Watch for changes without listing first.")
    public var watchOnly = false

    /// Omit the header line.
    @Flag(name: .customLong("no-headers"), help: "Do not print the table header.")
    public var noHeaders = false

    /// Page size.
    @Option(name: .customLong("chunk-size"), help: "Objects per list request.")
    public var chunkSize = 500

    /// Parsed by ArgumentParser.
    public init() {}

    /// Checks the arguments before anything is sent.
    public func validate() throws {
        if resources.isEmpty { throw ValidationError("you must specify the type of resource to get (for example scanjobs)") }
        if let selector { try LabelSelector.validated(selector) }
        if chunkSize < 1 { throw ValidationError("--chunk-size must be at least 1") }
    }

    /// Lists or reads, prints, and watches when asked.
    public func run() async throws {
        let settings = try global.settings()
        let (kind, names) = try ResourceReference.kindAndNames(resources)
        if allNamespaces, !names.isEmpty {
            throw CLIError("a resource cannot be retrieved by name across all namespaces", exitCode: 2)
        }
        let session = GetSession(
            client: settings.makeClient(), kind: kind, names: names,
            namespace: kind.namespaced && !allNamespaces ? settings.namespace : nil,
            options: ListOptions(labelSelector: try LabelSelector.validated(selector), fieldSelector: try FieldSelector.validated(fieldSelector)), output: output,
            showNamespace: allNamespaces && kind.namespaced, headers: !noHeaders, pageSize: chunkSize)
        let failed = try await session.run(list: !watchOnly, watch: watch || watchOnly)
        if failed { throw ExitCode.failure }
    }
}
