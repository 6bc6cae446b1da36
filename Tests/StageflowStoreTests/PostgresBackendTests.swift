import Foundation
import StageflowAPI
import StageflowPostgres
import StageflowStore
import StageflowTestSupport
import Testing

/// What only the PostgreSQL backend has: several processes on one database, NOTIFY wake-ups, and surviving a
/// server restart. Each `PostgresBackend` here stands for a separate Stageflow process.
@Suite("PostgreSQL backend")
struct PostgresBackendTests {
    /// Watchers poll only once an hour here, so a prompt delivery proves a NOTIFY woke them.
    private static let notifyOnly = ResourceStore.Configuration(compactionInterval: nil, pollInterval: .seconds(3600))

    @Test("a write through one backend wakes a watch on another through NOTIFY", .timeLimit(.minutes(2)))
    func notifyAcrossBackends() async throws {
        let url = try await PostgresCluster.shared().makeDatabase()
        try await withPostgresStores(url: url, count: 2, configuration: Self.notifyOnly) { stores in
            let (writer, reader) = (stores[0], stores[1])
            let watch = try await reader.watch(.scanJob, namespace: nil, from: try await reader.currentRevision())
            var iterator = watch.makeAsyncIterator()

            // The first event may arrive through the wake-up the listener sends when it connects; the second
            // can only arrive through a NOTIFY.
            for name in ["first", "second"] {
                let created = try await writer.create(.scanJob, postgresTestJob(name))
                let clock = ContinuousClock()
                let started = clock.now
                let event = try await iterator.next(waitingAtMost: .seconds(10))
                #expect(event?.type == .added)
                #expect(event?.object[path: ["metadata", "name"]]?.stringValue == name)
                #expect(event?.revision == Int64(created[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""))
                #expect(clock.now - started < .seconds(5))
            }
        }
    }

    @Test("concurrent read-modify-write from two backends never loses an update", .timeLimit(.minutes(3)))
    func concurrentIncrements() async throws {
        let url = try await PostgresCluster.shared().makeDatabase()
        let tasksPerBackend = 8
        let incrementsPerTask = 25
        try await withPostgresStores(url: url, count: 2, configuration: .init(compactionInterval: nil)) { stores in
            _ = try await stores[0].create(.scanJob, postgresTestJob("counter", count: 0))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores {
                    for _ in 0..<tasksPerBackend {
                        group.addTask { try await increment(store, times: incrementsPerTask) }
                    }
                }
                try await group.waitForAll()
            }
            let total = stores.count * tasksPerBackend * incrementsPerTask
            let final = try await stores[1].get(.scanJob, namespace: "default", name: "counter")
            #expect(final[path: ["spec", "count"]]?.intValue == Int64(total))
            #expect(final[path: ["metadata", "generation"]]?.intValue == Int64(total + 1))

            // Refused writes give their revision back, so the log has no gaps: one event per successful write.
            let events = try await stores[0].backend.events(after: 0, limit: total + 10)
            #expect(events.map(\.revision) == Array(1...Int64(total + 1)))
            #expect(events.dropFirst().allSatisfy { $0.kind == .modified })
        }
    }

    @Test("writes sent together stay separate compare-and-swaps, with one gapless revision each")
    func concurrentWritesOfOneBackend() async throws {
        let backend = try PostgresFixture.backend(url: try await PostgresCluster.shared().makeDatabase())
        try await backend.prepare()
        let contended = ObjectKey(resource: "scanjobs", namespace: "default", name: "contended")
        // 40 creates of one key race 40 creates of distinct keys; queued writes go to the database together.
        let results = await withTaskGroup(of: (ObjectKey, Result<Int64, any Error>).self) { group in
            for index in 0..<40 {
                for key in [contended, ObjectKey(resource: "scanjobs", namespace: "default", name: "distinct-\(index)")] {
                    group.addTask {
                        let mutation = Mutation(key: key, expectedRevision: nil, value: Data("{\"writer\":\(index)}".utf8))
                        do {
                            return (key, .success(try await backend.write(mutation)))
                        } catch {
                            return (key, .failure(error))
                        }
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let contendedResults = results.filter { $0.0 == contended }.map(\.1)
        #expect(contendedResults.count { if case .success = $0 { true } else { false } } == 1)
        for case .failure(let error) in contendedResults {
            #expect(error as? StorageConflict == .alreadyExists(contended))
        }
        let distinct = results.filter { $0.0 != contended }
        #expect(distinct.allSatisfy { if case .success = $0.1 { true } else { false } })

        let revisions = results.compactMap { try? $0.1.get() }.sorted()
        #expect(revisions == Array(1...Int64(41)))
        let events = try await backend.events(after: 0, limit: 100)
        #expect(events.map(\.revision) == revisions)
        for event in events {
            #expect(try await backend.get(event.key)?.revision == event.revision)
        }
        await backend.close()
    }

    @Test("LIST orders by key bytes and keeps resources and namespaces apart, as the memory backend does")
    func listMatchesMemoryBackend() async throws {
        let url = try await PostgresCluster.shared().makeDatabase()
        let postgres = try PostgresFixture.backend(url: url)
        try await postgres.prepare()
        let memory = MemoryBackend()
        let keys = [
            ObjectKey(resource: "scanjobs", namespace: "default", name: "a"),
            ObjectKey(resource: "scanjobs", namespace: "default", name: "B"),
            ObjectKey(resource: "scanjobs", namespace: "default", name: "a-b"),
            ObjectKey(resource: "scanjobs", namespace: "default", name: "a.b"),
            ObjectKey(resource: "scanjobs", namespace: "default", name: "ab"),
            ObjectKey(resource: "scanjobs", namespace: "default-x", name: "a"),
            ObjectKey(resource: "scanjobs", namespace: "default0", name: "a"),
            ObjectKey(resource: "scanjobs", namespace: "defaulta", name: "a"),
            ObjectKey(resource: "scanjobsx", namespace: "default", name: "a"),
            ObjectKey(resource: "scanner", namespace: "", name: "a"),
            ObjectKey(resource: "scanners", namespace: "", name: "z"),
            ObjectKey(resource: "scanners", namespace: "", name: "0"),
        ]
        for key in keys {
            let mutation = Mutation(key: key, expectedRevision: nil, value: Data("{\"n\":\"\(key.path)\"}".utf8))
            #expect(try await postgres.write(mutation) == (try await memory.write(mutation)))
        }
        let queries: [(String, String?, ObjectKey?, Int?)] = [
            ("scanjobs", nil, nil, nil), ("scanjobs", "default", nil, nil), ("scanjobs", "default", nil, 2),
            ("scanjobs", "default", keys[2], nil), ("scanjobs", nil, keys[4], 3), ("scanners", nil, nil, nil),
            ("scanners", "", nil, nil), ("scanjobsx", nil, nil, nil), ("scanjobs", "missing", nil, nil),
        ]
        for (resource, namespace, after, limit) in queries {
            let fromPostgres = try await postgres.list(resource: resource, namespace: namespace, after: after, limit: limit)
            let fromMemory = try await memory.list(resource: resource, namespace: namespace, after: after, limit: limit)
            #expect(fromPostgres.records == fromMemory.records, "\(resource) \(namespace ?? "*") after \(after?.path ?? "-")")
            #expect(fromPostgres.revision == Int64(keys.count))
        }
        await postgres.close()
    }

    @Test("a server restart under a running store: calls fail as unavailable, then work again without a new backend",
        .timeLimit(.minutes(3)))
    func restart() async throws {
        // Its own cluster: restarting the shared one would cut every other test's connections.
        let cluster = try await PostgresCluster.start()
        defer { cluster.stop() }
        let url = try await cluster.makeDatabase()
        try await withPostgresStores(url: url, count: 2, configuration: Self.notifyOnly) { stores in
            let (writer, watcher) = (stores[0], stores[1])
            let watch = try await watcher.watch(.scanJob, namespace: nil, from: try await watcher.currentRevision())
            var iterator = watch.makeAsyncIterator()
            _ = try await writer.create(.scanJob, postgresTestJob("before"))
            #expect(try await iterator.next(waitingAtMost: .seconds(10))?.object[path: ["metadata", "name"]]?.stringValue == "before")

            let traffic = Task { await driveTraffic(writer: writer, reader: watcher) }
            try await cluster.restart()
            traffic.cancel()
            let outcome = await traffic.value
            #expect(outcome.unexpected.isEmpty, "errors other than StorageUnavailable: \(outcome.unexpected)")
            #expect(outcome.calls > 0)

            // The same backends work again: a read, then a write (idle sessions the server closed are replaced
            // before anything is sent on them).
            _ = try await watcher.get(.scanJob, namespace: "default", name: "before")
            let after = try await writer.create(.scanJob, postgresTestJob("after"))
            let read = try await watcher.get(.scanJob, namespace: "default", name: "after")
            #expect(read[path: ["metadata", "uid"]] == after[path: ["metadata", "uid"]])

            // The watch keeps going: events written during the outage may come first, then "after".
            var seen: [String] = []
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while ContinuousClock.now < deadline, !seen.contains("after") {
                if let event = try await iterator.next(waitingAtMost: .seconds(1)) {
                    seen.append(event.object[path: ["metadata", "name"]]?.stringValue ?? "")
                }
            }
            #expect(seen.last == "after", "watch delivered \(seen)")
            _ = try await writer.create(.scanJob, postgresTestJob("later"))
            #expect(try await iterator.next(waitingAtMost: .seconds(10))?.object[path: ["metadata", "name"]]?.stringValue == "later")
        }
    }
}

/// Started stores, each over its own `PostgresBackend` on `url`, shut down after `body`.
private func withPostgresStores(
    url: String, count: Int, configuration: ResourceStore.Configuration,
    _ body: ([ResourceStore]) async throws -> Void
) async throws {
    var stores: [ResourceStore] = []
    do {
        for _ in 0..<count {
            let store = ResourceStore(backend: try PostgresFixture.backend(url: url), configuration: configuration)
            stores.append(store)
            try await store.start()
        }
        try await body(stores)
    } catch {
        for store in stores { await store.shutdown() }
        throw error
    }
    for store in stores { await store.shutdown() }
}

/// A ScanJob named `name`, optionally carrying a counter in `spec.count`.
private func postgresTestJob(_ name: String, count: Int64? = nil) -> JSONValue {
    var spec: JSONValue = ["target": ["urls": ["https://example.com/"]], "scanners": [["name": "axe"]]]
    if let count { spec["count"] = .int(count) }
    return ["apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob", "metadata": ["name": .string(name)], "spec": spec]
}

/// Adds one to `spec.count` of the ScanJob `counter` `times` times. `modify` re-reads and retries on a stale
/// revision; when it gives up (409, too many concurrent writers) the increment is retried, as a client would.
private func increment(_ store: ResourceStore, times: Int) async throws {
    for _ in 0..<times {
        while true {
            do {
                _ = try await store.modify(.scanJob, namespace: "default", name: "counter") { object in
                    var object = object
                    var spec = object["spec"] ?? [:]
                    spec["count"] = .int((spec["count"]?.intValue ?? 0) + 1)
                    object["spec"] = spec
                    return object
                }
                break
            } catch let status as APIStatus where status.code == 409 {
                continue
            }
        }
    }
}

/// Creates, reads and lists in a loop until cancelled, sorting outcomes: success, `StorageUnavailable`, or
/// anything else (which the restart test forbids).
private func driveTraffic(writer: ResourceStore, reader: ResourceStore) async -> (calls: Int, unavailable: Int, unexpected: [String]) {
    var calls = 0
    var unavailable = 0
    var unexpected: [String] = []
    var index = 0
    while !Task.isCancelled {
        index += 1
        let name = "during-\(index)"
        let operations: [@Sendable () async throws -> Void] = [
            { _ = try await writer.create(.scanJob, postgresTestJob(name)) },
            { _ = try await reader.get(.scanJob, namespace: "default", name: "before") },
            { _ = try await reader.list(.scanJob, namespace: "default") },
        ]
        for operation in operations {
            calls += 1
            do {
                try await operation()
            } catch is StorageUnavailable {
                unavailable += 1
            } catch {
                unexpected.append("\(error)")
            }
        }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return (calls, unavailable, unexpected)
}
