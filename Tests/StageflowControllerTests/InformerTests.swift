import Foundation
import Logging
import StageflowAPI
import StageflowController
import Testing

@Suite("Informer", .timeLimit(.minutes(1)))
struct InformerTests {
    /// What the handlers were told, as `"added a"`, `"deleted b"`, ….
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []

        func record(_ change: Informer.Change) {
            let name = change.object[path: ["metadata", "name"]]?.stringValue ?? "?"
            let verb: String =
                switch change {
                case .added: "added"
                case .updated: "updated"
                case .deleted: "deleted"
                case .resync: "resync"
                }
            lock.withLock { list.append("\(verb) \(name)") }
        }

        var changes: [String] { lock.withLock { list } }
        var resyncs: Int { changes.filter { $0.hasPrefix("resync") }.count }
    }

    func start(_ client: ScriptedClient, resync: Duration? = nil) -> (Informer, Recorder, Task<Void, Never>) {
        let informer = Informer(client: client, kind: .scanJob, resyncInterval: resync, logger: Logger(label: "test"))
        let recorder = Recorder()
        informer.addHandler { recorder.record($0) }
        return (informer, recorder, Task { await informer.run() })
    }

    @Test("LIST fills the cache, WATCH from the list's revision keeps it current; an ended watch resumes where it was")
    func listThenWatch() async {
        let client = ScriptedClient()
        client.answerList([ScriptedClient.object("a", revision: 5), ScriptedClient.object("b", revision: 6)], revision: 10)
        let (informer, recorder, task) = start(client)
        await informer.waitForSync()
        #expect(informer.cache.count == 2)
        await eventually { client.watchCount == 1 }
        #expect(client.watchRevisions == ["10"])
        client.currentWatch?.yield(WatchEvent(type: .modified, object: ScriptedClient.object("a", revision: 11, label: "b")))
        client.currentWatch?.yield(WatchEvent(type: .added, object: ScriptedClient.object("c", revision: 12)))
        client.currentWatch?.yield(WatchEvent(type: .deleted, object: ScriptedClient.object("b", revision: 13)))
        await eventually { recorder.changes.count == 5 }
        #expect(recorder.changes == ["added a", "added b", "updated a", "added c", "deleted b"])
        #expect(informer.cache.keys().sorted() == [ObjectName(namespace: "default", name: "a"), ObjectName(namespace: "default", name: "c")])
        #expect(informer.cache.get(ObjectName(namespace: "default", name: "a"))?[path: ["metadata", "labels", "step"]] == "b")

        client.currentWatch?.finish()
        await eventually { client.watchCount == 2 }
        #expect(client.watchRevisions.last == "13", "the watch resumes after the last revision seen")
        #expect(client.lists == 1, "an ended watch does not cost a LIST")
        task.cancel()
        await task.value
    }

    @Test("410 Expired makes it LIST again and tell the handlers what changed in between")
    func relistOnExpired() async {
        let client = ScriptedClient()
        client.answerList([ScriptedClient.object("a", revision: 5), ScriptedClient.object("b", revision: 6)], revision: 10)
        client.answerList([ScriptedClient.object("a", revision: 20, label: "b"), ScriptedClient.object("c", revision: 21)], revision: 30)
        let (informer, recorder, task) = start(client)
        await eventually { client.watchCount == 1 }
        client.currentWatch?.finish(throwing: APIStatus.expired("too old resource version: 10 (25)"))
        await eventually { client.watchCount == 2 }
        #expect(client.lists == 2)
        #expect(client.watchRevisions == ["10", "30"])
        #expect(Set(recorder.changes.dropFirst(2)) == ["deleted b", "updated a", "added c"])
        #expect(informer.cache.count == 2)
        task.cancel()
        await task.value
    }

    @Test("another watch failure is retried from the last revision, without a LIST")
    func retryAfterFailure() async {
        let client = ScriptedClient()
        client.answerList([ScriptedClient.object("a", revision: 5)], revision: 10)
        let (_, _, task) = start(client)
        await eventually { client.watchCount == 1 }
        client.currentWatch?.yield(WatchEvent(type: .modified, object: ScriptedClient.object("a", revision: 14)))
        client.currentWatch?.finish(throwing: URLError(.networkConnectionLost))
        await eventually { client.watchCount == 2 }
        #expect(client.watchRevisions == ["10", "14"])
        #expect(client.lists == 1)
        task.cancel()
        await task.value
    }

    @Test("resync replays the cache on its interval, as a child of run(), and stops when run() ends")
    func resync() async throws {
        let client = ScriptedClient()
        client.answerList([ScriptedClient.object("a", revision: 5), ScriptedClient.object("b", revision: 6)], revision: 10)
        let (_, recorder, task) = start(client, resync: .milliseconds(5))
        await eventually { recorder.resyncs >= 6 }
        task.cancel()
        await task.value
        let count = recorder.resyncs
        try await Task.sleep(for: .milliseconds(50))
        #expect(recorder.resyncs == count, "no resync after run() returned")
        #expect(client.lists == 1, "a resync does not touch the API")
    }

    @Test("a handler added after the LIST is first told of every cached object")
    func lateHandler() async {
        let client = ScriptedClient()
        client.answerList([ScriptedClient.object("a", revision: 5), ScriptedClient.object("b", revision: 6)], revision: 10)
        let (informer, _, task) = start(client)
        await informer.waitForSync()
        let late = Recorder()
        let registration = informer.addHandler { late.record($0) }
        #expect(late.changes.sorted() == ["added a", "added b"])
        informer.removeHandler(registration)
        informer.resync()
        #expect(late.changes.count == 2, "a removed handler hears nothing more")
        task.cancel()
        await task.value
    }
}
