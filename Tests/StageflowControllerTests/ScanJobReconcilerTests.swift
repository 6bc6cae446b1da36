import Foundation
import Logging
import StageflowAPI
import StageflowController
import StageflowEntry
import StageflowObjectStore
import StageflowReport
import StageflowRuntime
import StageflowStore
import Testing

/// The ScanJob controller end to end over an in-memory store, object store and a scripted runtime: the test
/// plays the scanner pods.
@Suite("ScanJob reconciler")
struct ScanJobReconcilerTests {
    final class Harness: @unchecked Sendable {
        let store = ResourceStore(backend: MemoryBackend(), configuration: .init(compactionInterval: nil, pollInterval: .milliseconds(50)))
        let runtime = ScriptedRuntime()
        let objects = MemoryObjectStore()
        /// What the controller reads and writes through: `objects`, with reads that fail when a test says so.
        lazy var flaky = FlakyObjectStore(objects)
        var task: Task<Void, Never>?
        var clock = ClockBox()

        func start(
            scanningSeconds: Int64 = 1800, resultsGrace: Duration = .seconds(30), installation: String? = nil,
            blockedDeadline: Duration = .seconds(1800), recordEvents: Bool = false, scannerRestarts: Int = 2,
            pollInterval: Duration = .milliseconds(50)
        ) async throws {
            try await store.start()
            for id in ["axe", "seo", "crashy"] {
                _ = try await store.create(.scanner, try JSONValue(encoding: Scanner(
                    metadata: ObjectMeta(name: id),
                    spec: ScannerSpec(id: id, version: "1.0.0", entry: ScannerEntry(builtin: id)))))
            }
            var configuration = ScanJobReconcilerConfiguration(scannerCommand: ["/usr/bin/stageflow"], objectStoreLocation: "/data/objects")
            configuration.pollInterval = pollInterval
            configuration.defaultScanningSeconds = scanningSeconds
            configuration.resultsGracePeriod = resultsGrace
            configuration.podCollectionInterval = .milliseconds(50)
            configuration.installation = installation
            configuration.blockedDeadline = blockedDeadline
            configuration.scannerRestartLimit = scannerRestarts
            let client = StoreResourceClient(store: store)
            let objects = flaky
            let manager = ControllerManager(client: client, logger: Logger(label: "test")) { [runtime, objects, configuration] informers in
                let events = recordEvents
                    ? EventRecorder(client: client, component: "test", instance: "test", flushInterval: .milliseconds(50), logger: Logger(label: "test"))
                    : nil
                let controller = ScanJobController(
                    informers: informers, client: client, runtime: runtime, objects: objects,
                    configuration: configuration, events: events, logger: Logger(label: "test"))
                return events.map { [$0, controller] } ?? [controller]
            }
            task = Task { await manager.runTerm() }
        }

        func stop() async {
            task?.cancel()
            await store.shutdown()
        }

        func create(_ name: String, scanners: [String] = ["axe", "seo"], extra: (inout ScanJobSpec) -> Void = { _ in }) async throws -> String {
            var spec = ScanJobSpec(target: ScanTarget(urls: ["https://example.com/"]), scanners: scanners.map { ScannerSelection(name: $0) })
            extra(&spec)
            let created = try await store.create(.scanJob, try JSONValue(encoding: ScanJob(metadata: ObjectMeta(name: name, namespace: "default"), spec: spec)))
            return created[path: ["metadata", "uid"]]!.stringValue!
        }

        func job(_ name: String) async throws -> ScanJob? {
            try? await store.get(.scanJob, namespace: "default", name: name).decode(as: ScanJob.self)
        }

        /// Waits (bounded) until the job satisfies `condition`.
        func waitFor(_ name: String, _ condition: (ScanJob?) -> Bool) async throws -> ScanJob? {
            for _ in 0..<400 {
                let current = try await job(name)
                if condition(current) { return current }
                try await Task.sleep(for: .milliseconds(25))
            }
            return try await job(name)
        }

        /// Plays a scanner that succeeds with findings.
        func succeed(
            _ uid: String, _ scanner: String, findings: [ScannerFinding], page: ScannedPage? = nil, timings: ScannerTimings? = nil
        ) async throws {
            var results = ScannerResults(
                scanner: scanner, status: .success, pages: [page ?? ScannedPage(url: "https://example.com/")], findings: findings)
            results.timings = timings
            try await objects.put("artifacts/\(uid)/\(scanner)/results.json", data: try JSONEncoder().encode(results), contentType: "application/json")
            runtime.finish(uid, scanner, code: 0)
        }
    }

    struct ClockBox {}

    static func finding(_ rule: String, _ selector: String) -> ScannerFinding {
        ScannerFinding(ruleId: rule, title: rule, message: "\(rule) on \(selector)", severity: .serious, url: "https://example.com/", selector: selector)
    }

    @Test("a job goes Pending → Scanning → Done with a report, its pod created once")
    func happyPath() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await harness.create("ok")
        let scanning = try await harness.waitFor("ok") { $0?.status?.phase == .scanning }
        #expect(scanning?.status?.scanners?.map(\.name) == ["axe", "seo"])
        #expect(scanning?.metadata.finalizers == [ScanJobReconciler.finalizer])
        let plan = try JSONDecoder().decode(ScanPlan.self, from: try await harness.objects.get("artifacts/\(uid)/plan.json"))
        #expect(plan.urls == ["https://example.com/"])
        #expect(harness.runtime.spec(uid)?.containers.first?.command.contains("--plan") == true)
        try await harness.succeed(uid, "axe", findings: [Self.finding("image-alt", "img.hero")])
        try await harness.succeed(uid, "seo", findings: [Self.finding("meta-description", "head")])
        let done = try await harness.waitFor("ok") { $0?.status?.phase == .done }
        #expect(done?.status?.phase == .done)
        #expect(done?.status?.conditions?[type: "Complete"]?.status == .true)
        #expect(done?.status?.summary?.totalIssues == 2)
        #expect(done?.status?.observedGeneration == 1)
        let report = try Report.decode(from: try await harness.objects.get("artifacts/\(uid)/report.json"))
        #expect(report.issues.count == 2)
        #expect(try await harness.objects.head("artifacts/\(uid)/report.html") != nil)
        #expect(harness.runtime.creationCounts().values.allSatisfy { $0 == 1 })
        // Finished jobs give their pod back.
        #expect(try await harness.waitFor("ok") { _ in !harness.runtime.hasPod(uid) } != nil)
        #expect(!harness.runtime.hasPod(uid))
        await harness.stop()
    }

    @Test("a scanner's exit wakes its job at once: with an hour between polls it still reaches Done")
    func exitWakesJob() async throws {
        let harness = Harness()
        harness.runtime.notifiesExits = true
        try await harness.start(pollInterval: .seconds(3600))
        let uid = try await harness.create("prompt", scanners: ["axe"])
        _ = try await harness.waitFor("prompt") { $0?.status?.scanners?.first?.state == "Running" }
        try await harness.succeed(uid, "axe", findings: [])
        let done = try await harness.waitFor("prompt") { $0?.status?.phase == .done }
        #expect(done?.status?.phase == .done, "\(String(describing: done?.status))")
        await harness.stop()
    }

    @Test("a crashed scanner yields partial results with its message; all failing fails the job")
    func partialResults() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await harness.create("partial", scanners: ["axe", "crashy"])
        _ = try await harness.waitFor("partial") { $0?.status?.phase == .scanning }
        try await harness.succeed(uid, "axe", findings: [Self.finding("image-alt", "img")])
        harness.runtime.finish(uid, "crashy", code: 3, log: "panic: something broke in the scanner")
        let done = try await harness.waitFor("partial") { $0?.status?.phase?.isFinished == true }
        #expect(done?.status?.phase == .done)
        let crashy = done?.status?.scanners?.first { $0.name == "crashy" }
        #expect(crashy?.state == "Failed")
        #expect(crashy?.exitCode == 3)
        #expect(crashy?.message?.contains("something broke") == true)
        let report = try Report.decode(from: try await harness.objects.get("artifacts/\(uid)/report.json"))
        #expect(report.scanners.first { $0.id == "crashy" }?.status == .failed)
        #expect(report.issues.count == 1)

        let allFail = try await harness.create("all-fail", scanners: ["crashy"])
        _ = try await harness.waitFor("all-fail") { $0?.status?.phase == .scanning }
        harness.runtime.finish(allFail, "crashy", code: 1, log: "boom")
        let failed = try await harness.waitFor("all-fail") { $0?.status?.phase?.isFinished == true }
        #expect(failed?.status?.phase == .failed)
        #expect(failed?.status?.conditions?[type: "Failed"]?.reason == "AllScannersFailed")
        // No score anywhere: none in the status, none in the report, and the category says why.
        #expect(failed?.status?.summary?.score == nil && failed?.status?.summary?.grade == nil)
        #expect(failed?.status?.summary?.categories?["other"]?.status == "failed")
        #expect(failed?.status?.summary?.categories?["other"]?.reason?.contains("boom") == true)
        let none = try Report.decode(from: try await harness.objects.get("artifacts/\(allFail)/report.json"))
        #expect(none.summary.score == nil && !none.hasScore)
        // The partial job's score leaves out the crashed scanner's category and says so.
        #expect(done?.status?.summary?.partial == true)
        #expect(done?.status?.summary?.score != nil)
        #expect(done?.status?.summary?.scoreNote?.contains("crashy failed") == true)
        await harness.stop()
    }

    @Test("the stored report.html embeds the page screenshots; the status summary has the category scores")
    func storedHTMLCarriesScreenshots() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await harness.create("shots")
        _ = try await harness.waitFor("shots") { $0?.status?.phase == .scanning }
        let key = "artifacts/\(uid)/axe/screenshots/home.png"
        let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!
        try await harness.objects.put(key, data: png, contentType: "image/png")
        let page = ScannedPage(
            url: "https://example.com/", screenshot: ScreenshotReference(key: key, width: 1, height: 1), passed: ["image-alt", "region"])
        try await harness.succeed(uid, "axe", findings: [Self.finding("image-alt", "img.hero")], page: page)
        try await harness.succeed(uid, "seo", findings: [])
        let done = try await harness.waitFor("shots") { $0?.status?.phase == .done }
        let html = String(decoding: try await harness.objects.get("artifacts/\(uid)/report.html"), as: UTF8.self)
        #expect(html.contains("data:image/png;base64,\(png.base64EncodedString())"))
        let report = try Report.decode(from: try await harness.objects.get("artifacts/\(uid)/report.json"))
        #expect(html == HTMLReportRenderer(options: .init(screenshots: [key: png])).render(report))
        let summary = try #require(done?.status?.summary)
        // axe: image-alt (serious, 7) fails on the one page, region (undeclared: moderate, 3) passes: 100 · 3 / 10.
        #expect(summary.categories?["accessibility"]?.score == 30)
        #expect(summary.categories?["accessibility"]?.score == report.summary.score(of: .accessibility))
        #expect(summary.score == report.summary.score && summary.partial == false)
        #expect(summary.totalIssues == 1 && summary.occurrences == 1 && summary.needsReview == 0)
        await harness.stop()
    }

    @Test("a store that cannot be read retries the pass instead of failing a scanner that wrote its results")
    func transientResultsRead() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await harness.create("flaky")
        _ = try await harness.waitFor("flaky") { $0?.status?.phase == .scanning }
        harness.flaky.failReads(endingIn: "results.json", times: 4)
        try await harness.succeed(uid, "axe", findings: [Self.finding("image-alt", "img")])
        try await harness.succeed(uid, "seo", findings: [])
        let done = try await harness.waitFor("flaky") { $0?.status?.phase?.isFinished == true }
        #expect(harness.flaky.failedReads == 4)
        #expect(done?.status?.phase == .done)
        #expect(done?.status?.scanners?.allSatisfy { $0.state == "Succeeded" } == true)
        await harness.stop()
    }

    @Test("results that never appear are waited for, then the scanner fails for exiting 0 without them")
    func missingResults() async throws {
        let harness = Harness()
        try await harness.start(resultsGrace: .milliseconds(300))
        let uid = try await harness.create("silent", scanners: ["axe"])
        _ = try await harness.waitFor("silent") { $0?.status?.phase == .scanning }
        harness.runtime.finish(uid, "axe", code: 0)
        let failed = try await harness.waitFor("silent") { $0?.status?.phase?.isFinished == true }
        #expect(failed?.status?.phase == .failed)
        #expect(failed?.status?.scanners?.first?.message?.contains("exited 0 without writing results.json") == true)
        await harness.stop()
    }

    @Test("the pod of a job that no longer exists is collected; the pods of live jobs stay")
    func orphanedPods() async throws {
        let harness = Harness()
        try await harness.runtime.ensurePod(
            PodSpec(jobUID: "job-deleted-while-down", displayName: "gone", containers: [ContainerSpec(name: "axe", command: ["/bin/true"])], hostNetwork: false))
        try await harness.start()
        let uid = try await harness.create("alive")
        _ = try await harness.waitFor("alive") { $0?.status?.phase == .scanning }
        _ = try await harness.waitFor("alive") { _ in !harness.runtime.hasPod("job-deleted-while-down") }
        #expect(!harness.runtime.hasPod("job-deleted-while-down"))
        #expect(harness.runtime.hasPod(uid))
        await harness.stop()
    }

    @Test("an installation labels its pods and collects only its own: another installation's pods on the same runtime stay")
    func collectsOnlyItsOwnPods() async throws {
        let harness = Harness()
        try await harness.runtime.ensurePod(
            PodSpec(
                jobUID: "ours-deleted-while-down", displayName: "gone", containers: [ContainerSpec(name: "axe", command: ["/bin/true"])],
                hostNetwork: false, labels: [PodSpec.installationLabel: "here"]))
        harness.runtime.addForeignPod(jobUID: "a-job-of-another-installation", installation: "there")
        try await harness.start(installation: "here")
        let uid = try await harness.create("alive")
        _ = try await harness.waitFor("alive") { $0?.status?.phase == .scanning }
        _ = try await harness.waitFor("alive") { _ in !harness.runtime.hasPod("ours-deleted-while-down") }
        #expect(!harness.runtime.hasPod("ours-deleted-while-down"))
        #expect(harness.runtime.hasPod("a-job-of-another-installation"), "another installation's pod was collected")
        #expect(harness.runtime.hasPod(uid))
        #expect(try await harness.runtime.podJobUIDs(installation: "here") == [uid], "the live job's pod carries the label")
        await harness.stop()
    }

    @Test("the scanning deadline fails the job with DeadlineExceeded and stops its scanners")
    func deadline() async throws {
        let harness = Harness()
        try await harness.start()
        _ = try await harness.create("slow") { spec in spec.deadlines = ScanDeadlines(extractionSeconds: nil, scanningSeconds: 1) }
        let failed = try await harness.waitFor("slow") { $0?.status?.phase == .failed }
        #expect(failed?.status?.conditions?[type: "Failed"]?.reason == "DeadlineExceeded")
        #expect(failed?.status?.scanners?.allSatisfy { $0.state == "Failed" } == true)
        await harness.stop()
    }

    @Test("deleting a running job stops its pod, removes its artifacts and then the job")
    func deletion() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await harness.create("doomed")
        _ = try await harness.waitFor("doomed") { $0?.status?.phase == .scanning }
        #expect(harness.runtime.hasPod(uid))
        _ = try await harness.store.delete(.scanJob, namespace: "default", name: "doomed")
        let gone = try await harness.waitFor("doomed") { $0 == nil }
        #expect(gone == nil)
        #expect(!harness.runtime.hasPod(uid))
        #expect(try await harness.objects.list(prefix: "artifacts/\(uid)/").isEmpty)
        await harness.stop()
    }

    @Test("ttlSecondsAfterFinished deletes the finished job and its artifacts")
    func ttl() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await harness.create("short-lived", scanners: ["axe"]) { spec in spec.ttlSecondsAfterFinished = 0 }
        _ = try await harness.waitFor("short-lived") { $0?.status?.phase == .scanning }
        try await harness.succeed(uid, "axe", findings: [])
        let gone = try await harness.waitFor("short-lived") { $0 == nil }
        #expect(gone == nil)
        #expect(try await harness.objects.list(prefix: "artifacts/\(uid)/").isEmpty)
        await harness.stop()
    }

    @Test("an unreachable runtime is retried with backoff, and the job proceeds once it answers")
    func unreachableRuntime() async throws {
        let harness = Harness()
        harness.runtime.setUnreachable(true)
        try await harness.start()
        let uid = try await harness.create("patient", scanners: ["axe"])
        let waiting = try await harness.waitFor("patient") { $0?.status?.conditions?[type: "Progressing"]?.status == .false }
        #expect(waiting?.status?.phase == .readyToScan)
        #expect(waiting?.status?.conditions?[type: "Progressing"]?.reason == "RuntimeUnavailable")
        #expect(waiting?.status?.conditions?[type: "Progressing"]?.message?.contains("podman.sock") == true)
        harness.runtime.setUnreachable(false)
        _ = try await harness.waitFor("patient") { $0?.status?.phase == .scanning }
        try await harness.succeed(uid, "axe", findings: [])
        let done = try await harness.waitFor("patient") { $0?.status?.phase == .done }
        #expect(done?.status?.phase == .done)
        #expect(done?.status?.conditions?[type: "Progressing"]?.status == .true)
        await harness.stop()
    }

    @Test("blocked on a missing bucket: the cause is written once while retries back off, then the job completes")
    func blockedIsAState() async throws {
        let harness = Harness()
        harness.flaky.setBucketMissing(true)
        try await harness.start(recordEvents: true)
        let uid = try await harness.create("bucketless", scanners: ["axe"])
        let blocked = try await harness.waitFor("bucketless") { $0?.status?.conditions?[type: "Progressing"]?.status == .false }
        let condition = try #require(blocked?.status?.conditions?[type: "Progressing"])
        #expect(condition.reason == "ObjectStoreUnavailable")
        #expect(condition.message?.contains("NoSuchBucket") == true)
        let revision = try #require(blocked?.metadata.resourceVersion)
        // Retries go on with backoff (5 ms doubling: ten of them take about five seconds) and write nothing.
        for _ in 0..<600 where harness.flaky.refusedWriteCount < 10 { try await Task.sleep(for: .milliseconds(25)) }
        #expect(harness.flaky.refusedWriteCount >= 10)
        let still = try await harness.job("bucketless")
        #expect(still?.metadata.resourceVersion == revision, "a retry with the same cause writes no revision")
        #expect(still?.status?.conditions?[type: "Progressing"]?.lastTransitionTime == condition.lastTransitionTime)
        #expect(still?.status?.phase == .readyToScan)
        // One Event for the cause, told once, not once per retry.
        try await Task.sleep(for: .milliseconds(300))
        let warnings = try await harness.store.list(.event, namespace: nil).items.filter { $0["reason"] == "ObjectStoreUnavailable" }
        #expect(warnings.count == 1)
        #expect((warnings.first?["count"]?.intValue ?? 1) == 1, "\(warnings)")

        harness.flaky.setBucketMissing(false)
        let scanning = try await harness.waitFor("bucketless") { $0?.status?.phase == .scanning }
        #expect(scanning?.status?.conditions?[type: "Progressing"]?.status == .true)
        #expect(scanning?.status?.conditions?[type: "Progressing"]?.reason == "Recovered")
        let timings = ScannerTimings(startedAt: "2026-12-07T10:00:00.125Z", finishedAt: "2026-12-07T10:00:01.250Z", durationMs: 1125)
        try await harness.succeed(uid, "axe", findings: [], timings: timings)
        let done = try await harness.waitFor("bucketless") { $0?.status?.phase == .done }
        #expect(done?.status?.phase == .done)
        // A scanner's times are its own, not when a poll saw it.
        #expect(done?.status?.scanners?.first?.startedAt == timings.startedAt)
        #expect(done?.status?.scanners?.first?.finishedAt == timings.finishedAt)
        // Each phase entered once, in order, each at its own moment, however long the job was blocked.
        let transitions = done?.status?.phaseTransitions ?? []
        #expect(transitions.map(\.phase) == [.readyToScan, .scanning, .completing, .done])
        #expect(transitions.map(\.time) == transitions.map(\.time).sorted())
        #expect(transitions.allSatisfy { $0.time.contains(".") }, "to the microsecond")
        await harness.stop()
    }

    @Test("blocked before scanning past the blocked deadline: Failed with the cause")
    func blockedDeadline() async throws {
        let harness = Harness()
        harness.flaky.setBucketMissing(true)
        try await harness.start(blockedDeadline: .seconds(1))
        _ = try await harness.create("stuck", scanners: ["axe"])
        let failed = try await harness.waitFor("stuck") { $0?.status?.phase == .failed }
        #expect(failed?.status?.phase == .failed)
        let reason = failed?.status?.conditions?[type: "Failed"]
        #expect(reason?.reason == "ObjectStoreUnavailable")
        #expect(reason?.message?.contains("blocked for more than 1 s before scanning") == true)
        #expect(reason?.message?.contains("NoSuchBucket") == true)
        #expect(failed?.status?.conditions?[type: "Progressing"]?.reason == "ObjectStoreUnavailable", "a failed job has not recovered")
        await harness.stop()
    }

    @Test("a job naming an unregistered scanner fails with UnknownScanner")
    func unknownScanner() async throws {
        let harness = Harness()
        try await harness.start()
        _ = try await harness.create("mystery", scanners: ["nonexistent"])
        let failed = try await harness.waitFor("mystery") { $0?.status?.phase == .failed }
        #expect(failed?.status?.conditions?[type: "Failed"]?.reason == "UnknownScanner")
        await harness.stop()
    }
}

/// Archive jobs: the archive container extracts and serves, the controller plans the scan from what it reports.
@Suite("ScanJob reconciler: archive jobs")
struct ArchiveJobReconcilerTests {
    typealias Harness = ScanJobReconcilerTests.Harness

    func createArchiveJob(_ harness: Harness, _ name: String, crawl: Bool = false) async throws -> String {
        try await harness.create(name, scanners: ["axe", "seo"]) { spec in
            spec.target = ScanTarget(
                crawl: crawl ? CrawlOptions(maxPages: 20) : nil,
                archive: ArchiveSource(objectKey: "staging/\(name)/site.zip", fileName: "site.zip"))
        }
    }

    func report(_ harness: Harness, _ uid: String, _ site: ArchiveSite) async throws {
        try await harness.objects.put("artifacts/\(uid)/site.json", data: try JSONEncoder().encode(site), contentType: "application/json")
    }

    @Test("Extracting runs only the archive container; once it serves, the scan covers its pages on that one origin")
    func servedArchiveIsScanned() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await createArchiveJob(harness, "static")
        let extracting = try await harness.waitFor("static") { _ in harness.runtime.spec(uid) != nil }
        #expect(extracting?.status?.phase == .extracting)
        let archivePod = try #require(harness.runtime.spec(uid))
        #expect(archivePod.containers.map(\.name) == [ScanPlan.archiveContainer])
        let command = archivePod.containers[0].command
        #expect(Array(command.suffix(7)) == [
            "serve", "--object-store", "/data/objects", "--archive", "staging/static/site.zip", "--site", "artifacts/\(uid)/site.json",
        ])
        try await report(harness, uid, ArchiveSite(state: .serving, origin: "http://127.0.0.1:41234", pages: ["", "docs/", "a b.html"], files: 7, bytes: 900))
        let scanning = try await harness.waitFor("static") { $0?.status?.phase == .scanning }
        #expect(scanning?.status?.conditions?[type: "Extracted"]?.status == .true)
        #expect(scanning?.status?.conditions?[type: "Extracted"]?.message?.contains("http://127.0.0.1:41234") == true)
        #expect(scanning?.status?.pages?.total == 3)
        let plan = try JSONDecoder().decode(ScanPlan.self, from: try await harness.objects.get("artifacts/\(uid)/plan.json"))
        #expect(plan.urls == ["http://127.0.0.1:41234/", "http://127.0.0.1:41234/docs/", "http://127.0.0.1:41234/a%20b.html"])
        #expect(plan.allowedOrigins == ["http://127.0.0.1:41234"])
        #expect(plan.allowPrivateTargets == false)
        let pod = try #require(harness.runtime.spec(uid))
        #expect(pod.containers.map(\.name) == [ScanPlan.archiveContainer, "axe", "seo"])
        #expect(pod.containers.dropFirst().allSatisfy { $0.sharesNetworkWith == ScanPlan.archiveContainer })
        #expect(pod.hostNetwork == false)
        // The archive container is created once, however often the pod is ensured.
        #expect(harness.runtime.creationCounts()["\(uid)/\(ScanPlan.archiveContainer)"] == 1)
        await harness.stop()
    }

    @Test("a crawling archive job seeds the crawl with the served root")
    func crawlFromRoot() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await createArchiveJob(harness, "crawled", crawl: true)
        _ = try await harness.waitFor("crawled") { _ in harness.runtime.spec(uid) != nil }
        try await report(harness, uid, ArchiveSite(state: .serving, origin: "http://127.0.0.1:5000", pages: ["", "b.html"], files: 2, bytes: 10))
        _ = try await harness.waitFor("crawled") { $0?.status?.phase == .scanning }
        let plan = try JSONDecoder().decode(ScanPlan.self, from: try await harness.objects.get("artifacts/\(uid)/plan.json"))
        #expect(plan.urls == ["http://127.0.0.1:5000/"])
        #expect(plan.crawl?.maxPages == 20)
        await harness.stop()
    }

    @Test("a refused archive fails the job with UnsafeArchive and the check's message; Extracted turns False")
    func refusedArchive() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await createArchiveJob(harness, "hostile")
        _ = try await harness.waitFor("hostile") { _ in harness.runtime.spec(uid) != nil }
        let message = "entry 1 \"../../etc/passwd\": path leaves the workspace (pathTraversal)"
        try await report(harness, uid, ArchiveSite(state: .rejected, check: "pathTraversal", message: message))
        harness.runtime.finish(uid, ScanPlan.archiveContainer, code: 3)
        let failed = try await harness.waitFor("hostile") { $0?.status?.phase == .failed }
        #expect(failed?.status?.conditions?[type: "Failed"]?.reason == "UnsafeArchive")
        #expect(failed?.status?.conditions?[type: "Failed"]?.message == message)
        #expect(failed?.status?.conditions?[type: "Extracted"]?.status == .false)
        #expect(try await harness.objects.exists("artifacts/\(uid)/plan.json") == false)
        await harness.stop()
    }

    @Test("an archive container that dies without reporting fails the job with its exit and log")
    func archiveContainerCrash() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await createArchiveJob(harness, "crashed")
        _ = try await harness.waitFor("crashed") { _ in harness.runtime.spec(uid) != nil }
        harness.runtime.finish(uid, ScanPlan.archiveContainer, code: 1, log: "cannot download the archive: connection refused")
        let failed = try await harness.waitFor("crashed") { $0?.status?.phase == .failed }
        #expect(failed?.status?.conditions?[type: "Failed"]?.reason == "ExtractionFailed")
        #expect(failed?.status?.conditions?[type: "Failed"]?.message?.contains("exited with code 1") == true)
        #expect(failed?.status?.conditions?[type: "Failed"]?.message?.contains("connection refused") == true)
        await harness.stop()
    }

    @Test("the extraction deadline fails a job whose archive is never served")
    func extractionDeadline() async throws {
        let harness = Harness()
        try await harness.start()
        _ = try await harness.create("slow", scanners: ["axe"]) { spec in
            spec.target = ScanTarget(archive: ArchiveSource(objectKey: "staging/slow/site.zip"))
            spec.deadlines = ScanDeadlines(extractionSeconds: 1)
        }
        let failed = try await harness.waitFor("slow") { $0?.status?.phase == .failed }
        #expect(failed?.status?.conditions?[type: "Failed"]?.reason == "DeadlineExceeded")
        #expect(failed?.status?.conditions?[type: "Failed"]?.message?.contains("extracting") == true)
        await harness.stop()
    }
}
