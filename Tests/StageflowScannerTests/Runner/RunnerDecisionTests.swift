import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import Testing

@testable import StageflowScanner

/// An object store that remembers the order of writes.
final class RecordingStore: ObjectStore, @unchecked Sendable {
    let inner = MemoryObjectStore()
    private let lock = NSLock()
    private var keys: [String] = []

    var puts: [String] { lock.withLock { keys } }

    func put(_ key: String, data: Data, contentType: String?) async throws {
        lock.withLock { keys.append(key) }
        try await inner.put(key, data: data, contentType: contentType)
    }

    func put<Chunks: AsyncSequence>(_ key: String, chunks: Chunks, contentType: String?) async throws where Chunks.Element == Data {
        lock.withLock { keys.append(key) }
        try await inner.put(key, chunks: chunks, contentType: contentType)
    }

    func get(_ key: String) async throws -> Data { try await inner.get(key) }
    func get(_ key: String, to destination: URL) async throws { try await inner.get(key, to: destination) }
    func head(_ key: String) async throws -> ObjectInfo? { try await inner.head(key) }
    func list(prefix: String) async throws -> [ObjectInfo] { try await inner.list(prefix: prefix) }
    func delete(_ key: String) async throws { try await inner.delete(key) }
    func deletePrefix(_ prefix: String) async throws { try await inner.deletePrefix(prefix) }
    func presignedGetURL(_ key: String, expiresInSeconds: Int) async throws -> URL? { nil }
}

@Suite("runner decisions")
struct RunnerDecisionTests {
    @Test("results.json is the last object written, after the evidence")
    func resultsLast() async throws {
        let server = try await LocalServer.scripted(["/": ["*": LocalServer.Response(body: "<title>t</title>")]])
        defer { server.stop() }
        let store = RecordingStore()
        let plan = ScanPlan(
            job: PlannedJob(uid: "job-1", namespace: "default", name: "t"), urls: [server.base + "/"], crawl: nil,
            allowPrivateTargets: true, scanners: [PlanFixture.builtin("security-headers")],
            artifactsPrefix: "artifacts/job-1/")
        try await store.inner.put("artifacts/job-1/plan.json", data: try JSONEncoder().encode(plan), contentType: nil)
        _ = try await ScannerRunner().run(objectStore: store, planKey: "artifacts/job-1/plan.json", scannerID: "security-headers")
        #expect(store.puts.count == 2)
        #expect(store.puts.first?.hasPrefix("artifacts/job-1/security-headers/evidence/") == true)
        #expect(store.puts.last == "artifacts/job-1/security-headers/results.json")
    }

    @Test("time budget: the soft deadline leaves a tenth (2…30 s) for writing results, the hard one half of that")
    func deadlines() {
        let start = ContinuousClock.now
        let long = ScannerRunner.deadlines(budgetSeconds: 1800, from: start)
        #expect(long.soft - start == .seconds(1770))
        #expect(long.hard - start == .seconds(1785))
        let short = ScannerRunner.deadlines(budgetSeconds: 10, from: start)
        #expect(short.soft - start == .seconds(8))
        #expect(short.hard - start == .seconds(9))
    }

    @Test("plugin results: scanner and status may be omitted, raw severities need a mapping")
    func pluginResults() throws {
        let decoder = PluginResultsDecoder(scannerID: "demo", mapping: SeverityMapping(["warn": .minor]))
        let results = try decoder.decode(Data(#"""
            {"pages": [{"url": "http://a/"}],
             "findings": [{"ruleId": "r", "title": "t", "message": "m", "severityRaw": "warn", "url": "http://a/"},
                          {"ruleId": "s", "title": "t", "message": "m", "severity": "critical", "url": "http://a/"}]}
            """#.utf8))
        #expect(results.scanner == "demo" && results.status == .success)
        #expect(results.findings.map(\.severity) == [.minor, .critical])
        let unmapped = #"{"findings": [{"ruleId": "r", "title": "t", "message": "m", "severityRaw": "bad", "url": "u"}]}"#
        #expect {
            try decoder.decode(Data(unmapped.utf8))
        } throws: { error in
            (error as? ScannerRunError)?.message
                == #"plugin demo wrote invalid results: findings[0] has no severity, and its severityRaw "bad" is not in the manifest's severityMapping"#
        }
        #expect(throws: ScannerRunError.self) { try decoder.decode(Data("not json".utf8)) }
        #expect {
            try decoder.decode(Data(#"{"status": "done"}"#.utf8))
        } throws: { error in
            (error as? ScannerRunError)?.message.hasPrefix("plugin demo wrote invalid results: status:") == true
        }
    }

    @Test("a crawl out of time lists the seeds it could not fetch as page errors")
    func budgetExhausted() async throws {
        let crawler = PageCrawler(fetcher: PageFetcher(), options: .init(deadline: .now - .seconds(1)))
        let outcome = try await crawler.crawl(seeds: ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"])
        #expect(outcome.budgetExhausted)
        #expect(outcome.pages.map(\.errors) == [["not fetched: the time budget ran out"], ["not fetched: the time budget ran out"]])
    }

    @Test("the host limiter never lets more than its bound through to one host")
    func hostLimiter() async throws {
        actor Gauge {
            var current = 0
            var peak = 0
            func enter() { current += 1; peak = max(peak, current) }
            func leave() { current -= 1 }
        }
        let limiter = HostLimiter(perHost: 3)
        let gauge = Gauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await limiter.withSlot("example.com") {
                        await gauge.enter()
                        try await Task.sleep(for: .milliseconds(5))
                        await gauge.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await gauge.peak == 3)
    }

    @Test("a plugin gets the contract's variables and placeholders, and none of the runner's credentials")
    func pluginEnvironment() async throws {
        let plugin = PlannedScanner(
            id: "env-dump", version: "1",
            entry: ScannerEntry(command: ["/bin/sh", "-c", #"env | sort > {evidence}/env.txt; echo '{"pages": []}' > {results}"#]),
            config: ["depth": 2], maxConcurrency: 1, timeoutSeconds: 30, memoryMiB: nil, severityMapping: nil)
        let fixture = try await PlanFixture(urls: ["http://127.0.0.1:9/"], scanners: [plugin])
        defer { fixture.remove() }
        var configuration = ScannerRunner.Configuration()
        configuration.pluginEnvironment = [
            "PATH": "/usr/bin:/bin", "AWS_SECRET_ACCESS_KEY": "hidden", "STAGEFLOW_OBJECT_STORE": "s3://bucket",
            "GITHUB_TOKEN": "hidden", "LANG": "C.UTF-8",
        ]
        let results = try await ScannerRunner(configuration: configuration)
            .run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "env-dump")
        #expect(results.status == .success && results.scanner == "env-dump")
        let dump = String(
            decoding: try await fixture.store.get("artifacts/\(fixture.uid)/env-dump/evidence/env.txt"), as: UTF8.self)
        #expect(!dump.contains("hidden") && !dump.contains("s3://bucket"))
        #expect(dump.contains("LANG=C.UTF-8"))
        #expect(dump.contains("STAGEFLOW_SCANNER=env-dump"))
        #expect(dump.contains(#"STAGEFLOW_SCANNER_CONFIG={"depth":2}"#))
        #expect(dump.contains("STAGEFLOW_JOB_UID=\(fixture.uid)"))
        #expect(dump.contains("STAGEFLOW_PLAN=/") && dump.contains("STAGEFLOW_RESULTS=/") && dump.contains("STAGEFLOW_EVIDENCE_DIR=/"))
    }
}
