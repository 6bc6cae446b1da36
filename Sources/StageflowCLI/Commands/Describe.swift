import ArgumentParser
import Foundation
import StageflowAPI
import StageflowClient

/// `describe KIND [NAME…]`: a readable view of objects, with status conditions as a table and the Events
/// recorded about each.
public struct Describe: AsyncParsableCommand {
    /// Names and help.
    public static let configuration = CommandConfiguration(
        abstract: "Show details of a resource or group of resources.")

    /// The root command, whose shared flags may come before or after this command's name.
    @ParentCommand public var root: Stageflowctl

    /// Shared flags: server, token, namespace, config file.
    public var global: GlobalOptions { root.global }

    /// `KIND [NAME…]` or `KIND/NAME…`.
    @Argument(help: ArgumentHelp("KIND [NAME…] or KIND/NAME…", valueName: "resource"))
    public var resources: [String] = []

    /// Label selector when no name is given.
    @Option(name: [.customShort("l"), .customLong("selector")], help: "Label selector, e.g. app=web.")
    public var selector: String?

    /// Across all namespaces when no name is given.
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Describe across all namespaces.")
    public var allNamespaces = false

    /// Parsed by ArgumentParser.
    public init() {}

    /// Requires a kind.
    public func validate() throws {
        if resources.isEmpty { throw ValidationError("you must specify the type of resource to describe (for example scanjobs)") }
        if let selector { try LabelSelector.validated(selector) }
    }

    /// Reads and prints each object.
    public func run() async throws {
        let settings = try global.settings()
        let client = settings.makeClient()
        let (kind, names) = try ResourceReference.kindAndNames(resources)
        let renderer = DescribeRenderer()
        var objects: [JSONValue] = []
        var failed = false
        if names.isEmpty {
            let namespace = kind.namespaced && !allNamespaces ? settings.namespace : nil
            objects = try await client.listAll(
                kind, namespace: namespace, options: ListOptions(labelSelector: try LabelSelector.validated(selector))
            ).items
            if objects.isEmpty {
                Console.err(namespace.map { "No resources found in \($0) namespace." } ?? "No resources found")
            }
        } else {
            for name in names {
                do {
                    objects.append(try await client.get(kind, name: name, namespace: settings.namespace))
                } catch let status as APIStatus {
                    Console.err(ErrorReport.serverMessage(status))
                    failed = true
                }
            }
        }
        var descriptions: [String] = []
        for object in objects {
            descriptions.append(renderer.render(object, events: try await events(about: object, kind: kind, client: client)) + "\n")
        }
        Console.write(descriptions.joined(separator: "\n"))
        if failed { throw ExitCode.failure }
    }

    /// The Events about an object, selected by its kind, name and uid as kubectl does.
    private func events(about object: JSONValue, kind: ResourceKind, client: StageflowClient) async throws -> [JSONValue] {
        guard let name = object[path: ["metadata", "name"]]?.stringValue else { return [] }
        var fields = [("involvedObject.kind", kind.kind), ("involvedObject.name", name)]
        if let uid = object[path: ["metadata", "uid"]]?.stringValue { fields.append(("involvedObject.uid", uid)) }
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? Names.defaultNamespace
        return try await client.listAll(.event, namespace: namespace, options: ListOptions(fieldSelector: FieldSelector(equal: fields))).items
    }
}
