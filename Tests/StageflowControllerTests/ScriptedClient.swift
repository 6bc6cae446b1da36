import Foundation
import StageflowAPI
import StageflowController

/// A `ResourceClient` whose LIST answers and WATCH streams the test scripts, recording what the informer asked.
final class ScriptedClient: ResourceClient, @unchecked Sendable {
    private let lock = NSLock()
    private var listAnswers: [(items: [JSONValue], revision: Int64)] = []
    private var watchContinuations: [AsyncThrowingStream<WatchEvent, any Error>.Continuation] = []
    private(set) var lists = 0
    private(set) var watchRevisions: [String] = []

    /// Queues the answer of the next LIST.
    func answerList(_ items: [JSONValue], revision: Int64) {
        lock.withLock { listAnswers.append((items, revision)) }
    }

    /// The number of watches opened so far.
    var watchCount: Int { lock.withLock { watchRevisions.count } }

    /// The stream of the most recent watch.
    var currentWatch: AsyncThrowingStream<WatchEvent, any Error>.Continuation? { lock.withLock { watchContinuations.last } }

    func list(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws -> (items: [JSONValue], revision: Int64) {
        try lock.withLock {
            lists += 1
            guard !listAnswers.isEmpty else { throw APIStatus.unavailable("no scripted list answer") }
            return listAnswers.removeFirst()
        }
    }

    func watch(_ kind: ResourceKind, namespace: String?, options: ListOptions) async throws
        -> AsyncThrowingStream<WatchEvent, any Error>
    {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        lock.withLock {
            watchRevisions.append(options.resourceVersion ?? "")
            watchContinuations.append(continuation)
        }
        return stream
    }

    func get(_ kind: ResourceKind, namespace: String?, name: String) async throws -> JSONValue { throw APIStatus.notFound(kind, name) }
    func create(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue { object }
    func update(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue { object }
    func updateStatus(_ kind: ResourceKind, _ object: JSONValue) async throws -> JSONValue { object }
    func delete(_ kind: ResourceKind, namespace: String?, name: String, options: DeleteOptions) async throws {}

    /// A ScanJob-shaped object at a revision.
    static func object(_ name: String, revision: Int64, label: String = "a") -> JSONValue {
        [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob",
            "metadata": [
                "name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"),
                "resourceVersion": .string(String(revision)), "labels": ["step": .string(label)],
            ],
        ]
    }
}

/// Waits (bounded by the suite's time limit) until `condition` holds.
func eventually(_ condition: () -> Bool) async {
    while !condition() {
        try? await Task.sleep(for: .milliseconds(2))
    }
}
