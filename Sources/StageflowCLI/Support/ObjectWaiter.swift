import Foundation
import StageflowAPI
import StageflowClient

/// Waits, by watching, until one object satisfies a `WaitCondition`; behind `wait`, `delete --wait`.
///
/// It reads the object, then watches it from that revision; when the watch ends or its revision has
/// expired it reads again and watches again. A server that refuses the watch is polled instead.
public struct ObjectWaiter: Sendable {
    /// The client.
    public let client: StageflowClient
    /// The object's kind.
    public let kind: ResourceKind
    /// The object's namespace (ignored for cluster-scoped kinds).
    public let namespace: String
    /// The object's name.
    public let name: String

    /// A waiter for one object.
    public init(client: StageflowClient, kind: ResourceKind, namespace: String, name: String) {
        self.client = client
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `timed out waiting for the condition on scanjobs/NAME`.
    public var timeoutError: CLIError {
        CLIError("timed out waiting for the condition on \(kind.plural)/\(name)")
    }

    private enum Outcome: Sendable {
        case met(JSONValue?)
        case timedOut
    }

    /// Waits until the condition holds and returns the object (`nil` once deleted); a `nil` timeout waits
    /// without limit, a zero timeout checks once. Throws `timeoutError` when time runs out.
    public func wait(for condition: WaitCondition, timeout: Duration?) async throws -> JSONValue? {
        guard let timeout else { return try await waitWithoutLimit(for: condition) }
        if timeout <= .zero {
            let object = try await current()
            guard condition.isSatisfied(by: object) else { throw timeoutError }
            return object
        }
        let outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask { .met(try await waitWithoutLimit(for: condition)) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return .timedOut
            }
            defer { group.cancelAll() }
            // The first child to finish decides; both always produce a value or throw.
            return try await group.next()!
        }
        switch outcome {
        case .met(let object): return object
        case .timedOut: throw timeoutError
        }
    }

    private func current() async throws -> JSONValue? {
        do {
            return try await client.get(kind, name: name, namespace: namespace)
        } catch let status as APIStatus where status.code == 404 {
            return nil
        }
    }

    private func missing(_ condition: WaitCondition) -> APIStatus? {
        condition == .delete ? nil : APIStatus.notFound(kind, name)
    }

    private func waitWithoutLimit(for condition: WaitCondition) async throws -> JSONValue? {
        var polling = false
        while true {
            try Task.checkCancellation()
            let object = try await current()
            if condition.isSatisfied(by: object) { return object }
            if object == nil, let status = missing(condition) { throw status }
            if polling {
                try await Task.sleep(for: .seconds(1))
                continue
            }
            let options = ListOptions(
                fieldSelector: FieldSelector(equal: [("metadata.name", name)]),
                resourceVersion: object?[path: ["metadata", "resourceVersion"]]?.stringValue)
            do {
                let events = try await client.watch(kind, namespace: kind.namespaced ? namespace : nil, options: options)
                for try await event in events {
                    guard event.object[path: ["metadata", "name"]]?.stringValue == name else { continue }
                    let observed: JSONValue?
                    switch event.type {
                    case .added, .modified: observed = event.object
                    case .deleted: observed = nil
                    case .bookmark, .error: continue
                    }
                    if condition.isSatisfied(by: observed) { return observed }
                    if observed == nil, let status = missing(condition) { throw status }
                }
                try await Task.sleep(for: .milliseconds(200))
            } catch let status as APIStatus where status.code == 410 {
                continue
            } catch let status as APIStatus where [400, 405, 406, 501].contains(status.code) {
                polling = true
            }
        }
    }
}
