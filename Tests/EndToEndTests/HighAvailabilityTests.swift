import Foundation
import StageflowTestSupport
import Testing

/// Two `stageflow apiserver` processes on one PostgreSQL serve one API: resourceVersions are global, a watch on
/// either sees every write through either once and in order, compare-and-swap conflicts are seen across them, and
/// killing one loses no write it acknowledged.
@Suite("API servers in high availability on PostgreSQL", .serialized)
struct HighAvailabilityTests {
    static let writes = 10_000

    /// Creates `count` ScanJobs named `prefix-N`, alternating between `servers`, 32 at a time; the resourceVersion
    /// each acknowledged write got, by name. Writes a server refuses or that fail in transit are left out.
    static func createJobs(_ count: Int, prefix: String, over servers: [String], client: ReplicaClient) async -> [String: Int64] {
        await withTaskGroup(of: (String, Int64?).self) { group in
            var acknowledged: [String: Int64] = [:]
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let name = "\(prefix)-\(index)"
                    return (name, try? await client.create(name, on: servers[index % servers.count]))
                }
            }
            for _ in 0..<min(32, count) { add() }
            while let (name, version) = await group.next() {
                if let version { acknowledged[name] = version }
                if next < count { add() }
            }
            return acknowledged
        }
    }

    /// Two API servers on one fresh database of a throwaway PostgreSQL server, the scanner the jobs name registered,
    /// and a client; everything is stopped afterwards.
    static func withTwoServers(
        _ body: (APIServerReplica, APIServerReplica, ReplicaClient) async throws -> Void
    ) async throws {
        let cluster = try await PostgresCluster.start()
        defer { cluster.stop() }
        let database = try await cluster.makeDatabase()
        let first = try APIServerReplica(databaseURL: database)
        defer { first.process.stop() }
        let second = try APIServerReplica(databaseURL: database)
        defer { second.process.stop() }
        let client = ReplicaClient()
        try await client.registerScanner(on: first.url)
        try await body(first, second, client)
    }

    @Test("10,000 writes over two API servers: a watch on each sees every revision once and in order")
    func watchersSeeEveryRevision() async throws {
        try await Self.withTwoServers { first, second, client in
            let start = try await client.listVersion(on: second.url)
            let watches = try [ReplicaWatch(server: first.url, from: start), ReplicaWatch(server: second.url, from: start)]
            defer { watches.forEach { $0.stop() } }

            let acknowledged = await Self.createJobs(Self.writes, prefix: "ha", over: [first.url, second.url], client: client)
            #expect(acknowledged.count == Self.writes, "every write was acknowledged")
            let expected = acknowledged.values.sorted()
            #expect(Set(expected).count == expected.count, "no two writes share a resourceVersion")

            for (index, watch) in watches.enumerated() {
                _ = waitUntil(seconds: 180) { watch.lineCount >= acknowledged.count }
                let events = watch.events
                let versions = events.map(\.version)
                #expect(versions == expected, "watch \(index): \(versions.count) events, in order: \(versions == versions.sorted())")
                #expect(Set(events.map(\.name)) == Set(acknowledged.keys), "watch \(index) saw every object")
                for event in events.prefix(50) where acknowledged[event.name] != event.version {
                    Issue.record("watch \(index): \(event.name) at \(event.version), acknowledged at \(acknowledged[event.name] ?? -1)")
                }
            }
        }
    }

    @Test("compare-and-swap conflicts are detected across the two API servers")
    func conflictsAcrossServers() async throws {
        try await Self.withTwoServers { first, second, client in
            _ = try await client.create("shared", on: first.url)
            let (_, read) = try await client.send("GET", second.url + ReplicaClient.scanJobs + "/shared")
            var update = read
            var metadata = update["metadata"] as? [String: Any] ?? [:]
            metadata["labels"] = ["by": "first"]
            update["metadata"] = metadata
            let won = try await client.send("PUT", first.url + ReplicaClient.scanJobs + "/shared", body: update)
            #expect(won.status == 200, "\(won.body)")
            metadata["labels"] = ["by": "second"]
            update["metadata"] = metadata
            let lost = try await client.send("PUT", second.url + ReplicaClient.scanJobs + "/shared", body: update)
            #expect(lost.status == 409, "the second update carries a stale resourceVersion: \(lost.body)")
            #expect(lost.body["reason"] as? String == "Conflict", "\(lost.body)")
            let (_, final) = try await client.send("GET", second.url + ReplicaClient.scanJobs + "/shared")
            #expect(((final["metadata"] as? [String: Any])?["labels"] as? [String: String]) == ["by": "first"])
        }
    }

    @Test("killing one API server with SIGKILL during writes loses no acknowledged write")
    func killOneServer() async throws {
        try await Self.withTwoServers { first, second, client in
            let start = try await client.listVersion(on: second.url)
            let survivorWatch = try ReplicaWatch(server: second.url, from: start)
            defer { survivorWatch.stop() }

            async let written = Self.createJobs(4_000, prefix: "kill", over: [first.url, second.url], client: client)
            // Kill the first server while writes are in flight through it.
            while survivorWatch.lineCount < 1_000 { try await Task.sleep(for: .milliseconds(20)) }
            first.kill()
            let acknowledged = await written
            #expect(acknowledged.count < 4_000, "writes through the killed server failed after the kill")
            #expect(acknowledged.count >= 1_000)

            let (status, list) = try await client.send("GET", second.url + ReplicaClient.scanJobs)
            #expect(status == 200)
            let stored = Dictionary(
                uniqueKeysWithValues: (list["items"] as? [[String: Any]] ?? []).compactMap { item -> (String, Int64)? in
                    guard let metadata = item["metadata"] as? [String: Any], let name = metadata["name"] as? String,
                        let version = (metadata["resourceVersion"] as? String).flatMap(Int64.init)
                    else { return nil }
                    return (name, version)
                })
            let lost = acknowledged.filter { stored[$0.key] != $0.value }
            #expect(lost.isEmpty, "\(lost.count) acknowledged writes missing or changed, e.g. \(lost.prefix(5))")
            // The survivor's watch saw every stored write once, in order, the killed server's included.
            _ = waitUntil(seconds: 120) { survivorWatch.lineCount >= stored.count }
            let versions = survivorWatch.events.map(\.version)
            #expect(versions == stored.values.sorted(), "\(versions.count) events for \(stored.count) stored objects")
        }
    }
}
