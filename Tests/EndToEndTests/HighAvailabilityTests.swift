import Foundation
import StageflowTestSupport
import Testing

/// Two `stageflow apiserver` processes on one PostgreSQL serve one API: resourceVersions are global, a watch on
/// either sees every write through either once and in order, compare-and-swap conflicts are seen across them,
/// killing one loses no write it acknowledged, and controllers on two hosts hand over through the Lease.
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

    /// The controllers' lease as the API holds it.
    static func lease(_ client: ReplicaClient, on server: String) async throws -> (holder: String, renew: Date?, acquire: Date?) {
        let (status, body) = try await client.send(
            "GET", server + "/apis/stageflow.dev/v1alpha1/namespaces/stageflow-system/leases/stageflow-controller")
        guard status == 200, let spec = body["spec"] as? [String: Any] else { throw E2EError("lease: \(status) \(body)") }
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func date(_ key: String) -> Date? {
            (spec[key] as? String).flatMap { format.date(from: $0) ?? ISO8601DateFormatter().date(from: $0) }
        }
        return (spec["holderIdentity"] as? String ?? "", date("renewTime"), date("acquireTime"))
    }

    @Test("controllers on two hosts, each on its own API server: kill -9 of the leader, the other takes over within lease + retry and runs the jobs")
    func controllerTakesOver() async throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        try await Self.withTwoServers { first, second, client in
            let token = try temporaryFile("controller-token", APIServerReplica.controllerToken + "\n")
            // Each "host" has its own data directory (process runtime state, object store) and its own API server.
            func controller(_ server: APIServerReplica, _ host: String) throws -> BackgroundProcess {
                let data = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-ha-\(host)-\(UUID().uuidString)")
                return try BackgroundProcess(
                    Binaries.stageflow,
                    ["controller", "--server", server.url, "--token-file", token, "--data-dir", data.path, "--allow-private-targets",
                     "--leader-lease-seconds", "3"])
            }
            let controllers = [try controller(first, "a"), try controller(second, "b")]
            defer { controllers.forEach { $0.stop(grace: 5) } }
            let pids = controllers.map { "-\($0.process.processIdentifier)-" }
            var holder = ""
            let elected = await waitUntilAsync(seconds: 90) {
                holder = (try? await Self.lease(client, on: second.url).holder) ?? ""
                return pids.contains { holder.contains($0) }
            }
            try #require(elected, "no controller took the lease: \(controllers.map { $0.errors.text.suffix(1500) })")
            let leader = pids.firstIndex { holder.contains($0) }!
            let standby = 1 - leader

            // Kill the leader just after a renewal, so the renewal read here is its last one.
            let before = try await Self.lease(client, on: second.url).renew
            var lastRenewal: Date?
            _ = await waitUntilAsync(seconds: 10) {
                lastRenewal = try? await Self.lease(client, on: second.url).renew
                return lastRenewal != before
            }
            kill(controllers[leader].process.processIdentifier, SIGKILL)
            controllers[leader].process.waitUntilExit()

            var taken: (holder: String, renew: Date?, acquire: Date?)?
            let tookOver = await waitUntilAsync(seconds: 60) {
                taken = try? await Self.lease(client, on: first.url)
                return taken?.holder.contains(pids[standby]) == true
            }
            try #require(tookOver, "the standby did not take the lease: \(controllers[standby].errors.text.suffix(2000))")
            let handover = try #require(taken?.acquire).timeIntervalSince(try #require(lastRenewal))
            print("controller handover: \(String(format: "%.2f", handover)) s after the leader's last renewal (lease 3 s + retry 0.6 s)")
            // The figure (bounded by lease duration + retry period; the unit test proves the bound on a fake clock)
            // goes in the notes; here: the standby took the lease over after the leader's last renewal.
            #expect(handover > 0, "the lease was acquired again after the killed leader's last renewal")

            // The new leader reconciles: a job created now is scanned to Done.
            let job: [String: Any] = [
                "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob", "metadata": ["name": "after-handover"],
                "spec": [
                    "allowPrivateTargets": true, "target": ["urls": [site.baseURL + "/"]], "scanners": [["name": "security-headers"]],
                ],
            ]
            let (created, body) = try await client.send("POST", first.url + ReplicaClient.scanJobs, body: job)
            #expect(created == 201, "\(body)")
            var phase = ""
            let finished = await waitUntilAsync(seconds: 120) {
                let (_, object) = (try? await client.send("GET", second.url + ReplicaClient.scanJobs + "/after-handover")) ?? (0, [:])
                phase = (object["status"] as? [String: Any])?["phase"] as? String ?? ""
                return phase == "Done" || phase == "Failed"
            }
            #expect(finished && phase == "Done", "phase \(phase): \(controllers[standby].errors.text.suffix(2000))")
        }
    }
}
