import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// `delete KIND NAME… | -f FILE`: deletes objects and, by default, waits until they are gone.
public struct Delete: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        abstract: "Delete resources by name, by label selector, or as listed in manifests.")

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { root.global }

    /// `KIND [NAME…]` or `KIND/NAME…`.
    @Argument(help: ArgumentHelp("KIND NAME… or KIND/NAME…", valueName: "resource"))
    public var resources: [String] = []

    /// Manifests naming the objects.
    @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("Delete the objects in a file, directory or - ; repeatable.", valueName: "path"))
    public var files: [String] = []

    /// Label selector.
    @Option(name: [.customShort("l"), .customLong("selector")], help: "Delete the objects matching a label selector.")
    public var selector: String?

    /// Every object of the kind in the namespace.
    @Flag(name: .long, help: "Delete every object of the kind in the namespace.")
    public var all = false

    /// Succeed for objects that do not exist.
    @Flag(name: .customLong("ignore-not-found"), help: "Treat objects that do not exist as deleted.")
    public var ignoreNotFound = false

    /// Wait for the objects to be gone.
    @Flag(name: .long, inversion: .prefixedNo, help: "Wait until the objects are gone (finalizers done).")
    public var wait = true

    /// Limit on waiting.
    @Option(name: .long, help: "How long to wait for deletion, e.g. 60s; 0 waits without limit.")
    public var timeout = "0s"

    /// Dry-run mode.
    @Option(name: .customLong("dry-run"), help: "none or server.")
    public var dryRun: Apply.DryRun = .none

    /// What becomes of the objects the deleted ones own.
    @Option(
        name: .long,
        help: "background (delete dependents after the object), foreground (delete them first; the object waits) or orphan (keep them).")
    public var cascade: Cascade = .background

    /// `--cascade` values, as kubectl spells them.
    public enum Cascade: String, ExpressibleByArgument, CaseIterable, Sendable {
        case background, foreground, orphan

        /// The propagation policy sent to the server.
        public var policy: DeleteOptions.PropagationPolicy {
            switch self {
            case .background: .background
            case .foreground: .foreground
            case .orphan: .orphan
            }
        }
    }

    /// Parsed by ArgumentParser.
    public init() {}

    /// Checks the combination of arguments.
    public func validate() throws {
        if files.isEmpty, resources.isEmpty {
            throw ValidationError("you must specify KIND NAME…, KIND/NAME… or -f FILE")
        }
        if !files.isEmpty, !resources.isEmpty {
            throw ValidationError("use either -f or KIND NAME…, not both")
        }
        if dryRun == .client { throw ValidationError("--dry-run=client is not supported by delete; use --dry-run=server") }
        if let selector { try LabelSelector.validated(selector) }
        _ = try CLIError.usage { try Duration(parsing: timeout) }
    }

    /// Deletes, then waits.
    public func run() async throws {
        let settings = try global.settings()
        let client = settings.makeClient()
        let timeLimit = try Duration(parsing: timeout)
        var failed = false
        var deleted: [(ResourceKind, String, String)] = []
        for (kind, namespace, name) in try await targets(settings: settings, client: client) {
            do {
                try await client.delete(kind, name: name, namespace: namespace, options: DeleteOptions(dryRun: dryRun == .server, propagationPolicy: cascade.policy))
                Console.out("\(kind.displayName) \"\(name)\" deleted" + (dryRun == .server ? " (server dry run)" : ""))
                deleted.append((kind, namespace, name))
            } catch let status as APIStatus where status.code == 404 && ignoreNotFound {
                continue
            } catch let status as APIStatus {
                Console.err(ErrorReport.serverMessage(status))
                failed = true
            }
        }
        if wait, dryRun == .none {
            for (kind, namespace, name) in deleted {
                let waiter = ObjectWaiter(client: client, kind: kind, namespace: namespace, name: name)
                do {
                    _ = try await waiter.wait(for: .delete, timeout: timeLimit > .zero ? timeLimit : nil)
                } catch let error as CLIError {
                    Console.err("error: \(error.message)")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func targets(settings: ClientSettings, client: StageflowClient) async throws -> [(ResourceKind, String, String)] {
        if !files.isEmpty {
            return try ManifestLoader().load(files).map { manifest in
                (manifest.kind, manifest.namespace ?? settings.namespace, manifest.name)
            }
        }
        let (kind, names) = try ResourceReference.kindAndNames(resources)
        if !names.isEmpty {
            if selector != nil || all { throw CLIError("names cannot be combined with --selector or --all", exitCode: 2) }
            return names.map { (kind, settings.namespace, $0) }
        }
        guard selector != nil || all else {
            throw CLIError(
                "resource(s) were provided, but no name was specified; use a name, --selector or --all", exitCode: 2)
        }
        let list = try await client.listAll(
            kind, namespace: kind.namespaced ? settings.namespace : nil, options: ListOptions(labelSelector: try LabelSelector.validated(selector)))
        if list.items.isEmpty { Console.err("No resources found") }
        return list.items.compactMap { object in
            guard let name = object[path: ["metadata", "name"]]?.stringValue else { return nil }
            return (kind, object[path: ["metadata", "namespace"]]?.stringValue ?? settings.namespace, name)
        }
    }
}
