import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// `wait KIND/NAME --for=condition=Complete --timeout=5m`: blocks until objects meet a condition.
public struct Wait: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        abstract: "Wait for a condition on one or many resources.",
        discussion: """
            Examples: wait scanjob/nightly --for=condition=Complete --timeout=10m; \
            wait sj/nightly --for=delete; wait sj/nightly --for=jsonpath='{.status.phase}'=Done.
            Exits 1 with "timed out waiting for the condition on scanjobs/NAME" when time runs out.
            """)

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { root.global }

    /// `KIND/NAME…` or `KIND NAME…`.
    @Argument(help: ArgumentHelp("KIND/NAME… or KIND NAME…", valueName: "resource"))
    public var resources: [String] = []

    /// The condition.
    @Option(name: .customLong("for"), help: "condition=NAME[=STATUS], delete, or jsonpath='{PATH}'=VALUE.")
    public var condition: String

    /// Limit per object.
    @Option(name: .long, help: "How long to wait for each object, e.g. 30s, 5m, 1h; 0 checks once; negative waits without limit.")
    public var timeout = "30s"

    /// Label selector.
    @Option(name: [.customShort("l"), .customLong("selector")], help: "Wait for the objects matching a label selector.")
    public var selector: String?

    /// Every object of the kind.
    @Flag(name: .long, help: "Wait for every object of the kind in the namespace.")
    public var all = false

    /// Parsed by ArgumentParser.
    public init() {}

    /// Checks the condition, timeout and resources before anything is sent.
    public func validate() throws {
        if resources.isEmpty { throw ValidationError("you must specify at least one resource, as KIND/NAME") }
        _ = try CLIError.usage { try WaitCondition(parsing: condition) }
        _ = try CLIError.usage { try Duration(parsing: timeout) }
        if let selector { try LabelSelector.validated(selector) }
    }

    /// Waits for each object in turn.
    public func run() async throws {
        let settings = try global.settings()
        let client = settings.makeClient()
        let waitCondition = try WaitCondition(parsing: condition)
        let limit = try Duration(parsing: timeout)
        let (kind, names) = try ResourceReference.kindAndNames(resources)
        var targets = names.map { (settings.namespace, $0) }
        if names.isEmpty {
            guard selector != nil || all else {
                throw CLIError("resource(s) were provided, but no name was specified; use a name, --selector or --all", exitCode: 2)
            }
            let list = try await client.listAll(
                kind, namespace: kind.namespaced ? settings.namespace : nil, options: ListOptions(labelSelector: try LabelSelector.validated(selector)))
            targets = list.items.compactMap { object in
                object[path: ["metadata", "name"]]?.stringValue.map {
                    (object[path: ["metadata", "namespace"]]?.stringValue ?? settings.namespace, $0)
                }
            }
            if targets.isEmpty { throw CLIError("no matching resources found") }
        }
        for (namespace, name) in targets {
            let waiter = ObjectWaiter(client: client, kind: kind, namespace: namespace, name: name)
            _ = try await waiter.wait(for: waitCondition, timeout: limit < .zero ? nil : limit)
            Console.out("\(kind.displayName)/\(name) condition met")
        }
    }
}
