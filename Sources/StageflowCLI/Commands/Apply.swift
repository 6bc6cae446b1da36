import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// `apply -f FILE|DIR|-`: server-side apply of every object in the manifests, idempotently.
public struct Apply: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        abstract: "Apply a configuration to resources from files, directories or standard input.",
        discussion: """
            Every document of every file is read and checked first; if any is malformed nothing is applied. \
            Each object is then sent with server-side apply (field manager stageflowctl, strict field validation), \
            so applying an unchanged file again changes nothing.
            """)

    /// Dry-run modes.
    public enum DryRun: String, CaseIterable, Sendable, ExpressibleByArgument {
        /// Apply for real.
        case none
        /// Ask the server to validate and compute the result without storing it.
        case server
        /// Only read and check the manifests.
        case client
    }

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { root.global }

    /// Manifest paths.
    @Option(name: [.short, .customLong("filename")], help: ArgumentHelp("A file, a directory (recursively) or - for standard input; repeatable.", valueName: "path"))
    public var files: [String] = []

    /// Dry-run mode.
    @Option(name: .customLong("dry-run"), help: "none, server or client.")
    public var dryRun: DryRun = .none

    /// Take over fields other managers own.
    @Flag(name: .customLong("force-conflicts"), help: "Take ownership of fields other field managers set.")
    public var forceConflicts = false

    /// Parsed by ArgumentParser.
    public init() {}

    /// Requires at least one `-f`.
    public func validate() throws {
        if files.isEmpty { throw ValidationError("must specify one of -f and -k (use -f FILE, -f DIR or -f -)") }
    }

    /// Reads, checks and applies.
    public func run() async throws {
        let settings = try global.settings()
        let manifests = try ManifestLoader().load(files)
        guard !manifests.isEmpty else { throw CLIError("no objects passed to apply") }
        let targets = try manifests.map { try Target(manifest: $0, settings: settings) }
        if dryRun == .client {
            for target in targets { Console.out("\(target.reference) configured (dry run)") }
            return
        }
        let client = settings.makeClient()
        var failed = false
        for target in targets {
            do {
                Console.out(try await apply(target, client: client))
            } catch let status as APIStatus {
                Console.err(ErrorReport.serverMessage(status, context: "error when applying \(target.description)"))
                failed = true
            } catch let error as StageflowClientError where error.isUnreachable {
                throw error
            } catch {
                Console.err(ErrorReport.message(for: error) ?? "error: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func apply(_ target: Target, client: StageflowClient) async throws -> String {
        let kind = target.manifest.kind
        let name = target.manifest.name
        let before: JSONValue?
        do {
            before = try await client.get(kind, name: name, namespace: target.namespace)
        } catch let status as APIStatus where status.code == 404 {
            before = nil
        }
        let after = try await client.apply(
            target.object, namespace: target.namespace,
            options: .apply(dryRun: dryRun == .server, force: forceConflicts))
        let verb: String
        if let before {
            verb = Self.changed(from: before, to: after, dryRun: dryRun == .server) ? "configured" : "unchanged"
        } else {
            verb = "created"
        }
        return "\(target.reference) \(verb)" + (dryRun == .server ? " (server dry run)" : "")
    }

    /// Whether an apply changed the object: a new `resourceVersion`, or for a dry run (which stores nothing,
    /// so keeps the revision) any difference outside the revision and field-manager bookkeeping.
    public static func changed(from before: JSONValue, to after: JSONValue, dryRun: Bool) -> Bool {
        guard dryRun else {
            return before[path: ["metadata", "resourceVersion"]] != after[path: ["metadata", "resourceVersion"]]
        }
        func normalized(_ object: JSONValue) -> JSONValue {
            var copy = object
            copy["metadata"]?["resourceVersion"] = nil
            copy["metadata"]?["managedFields"] = nil
            copy["metadata"]?["generation"] = nil
            return copy
        }
        return normalized(before) != normalized(after)
    }

    /// One object to apply, with its namespace settled.
    struct Target {
        let manifest: Manifest
        let namespace: String
        let object: JSONValue

        init(manifest: Manifest, settings: ClientSettings) throws {
            self.manifest = manifest
            var object = manifest.object
            if manifest.kind.namespaced {
                if let written = manifest.namespace, settings.namespaceFromFlag, written != settings.namespace {
                    throw CLIError(
                        "\(manifest.location): the namespace from the provided object \"\(written)\" does not match "
                            + "the namespace \"\(settings.namespace)\". You must pass '--namespace=\(written)' to "
                            + "perform this operation.")
                }
                namespace = manifest.namespace ?? settings.namespace
                object["metadata"]?["namespace"] = .string(namespace)
            } else {
                namespace = Names.defaultNamespace
            }
            self.object = object
        }

        var reference: String { "\(manifest.kind.displayName)/\(manifest.name)" }

        /// `"scan.yaml" (document 2)`, as apply errors name the source.
        var description: String {
            "\"\(manifest.source)\" (document \(manifest.document)" + (manifest.item.map { ", items[\($0)]" } ?? "") + ")"
        }
    }
}
