import Foundation
import StageflowAPI
import StageflowController
import StageflowReport
import Testing

/// A scanner its infrastructure failed is started again up to the limit and counted in its status; one that
/// failed on its own is not (`docs/architecture.md`, "Faults").
@Suite("Scanner restarts")
struct ScannerRestartTests {
    typealias Harness = ScanJobReconcilerTests.Harness

    @Test("a scanner whose container was killed is started again, counted, and the job ends Done with its findings")
    func killedThenSucceeds() async throws {
        let harness = Harness()
        try await harness.start(recordEvents: true)
        let uid = try await harness.create("killed", scanners: ["axe"])
        _ = try await harness.waitFor("killed") { $0?.status?.phase == .scanning }
        harness.runtime.finish(uid, "axe", code: 137, reason: "Killed", log: "Killed")
        let restarted = try await harness.waitFor("killed") { $0?.status?.scanners?.first?.restarts == 1 }
        let scanner = try #require(restarted?.status?.scanners?.first)
        #expect(scanner.state == "Running")
        #expect(scanner.exitCode == nil)
        #expect(scanner.message?.hasPrefix("started again (1 of 2) after it was killed (exit code 137)") == true, "\(scanner)")
        #expect(harness.runtime.restartCount(uid, "axe") == 1)

        try await harness.succeed(uid, "axe", findings: [ScanJobReconcilerTests.finding("image-alt", "img")])
        let done = try await harness.waitFor("killed") { $0?.status?.phase == .done }
        #expect(done?.status?.scanners?.first?.state == "Succeeded")
        #expect(done?.status?.scanners?.first?.restarts == 1, "the count stays in the status")
        #expect(done?.status?.summary?.totalIssues == 1)
        #expect(harness.runtime.restartCount(uid, "axe") == 1, "restarted once, not once per pass")
        try await Task.sleep(for: .milliseconds(300))
        let events = try await harness.store.list(.event, namespace: nil).items.filter { $0["reason"] == "ScannerRestarted" }
        #expect(events.count == 1)
        await harness.stop()
    }

    @Test("killed more often than the limit allows, the scanner fails with the cause and the restarts it had")
    func limitReached() async throws {
        let harness = Harness()
        try await harness.start(scannerRestarts: 2)
        let uid = try await harness.create("doomed", scanners: ["axe", "seo"])
        _ = try await harness.waitFor("doomed") { $0?.status?.phase == .scanning }
        for attempt in 1...2 {
            harness.runtime.finish(uid, "axe", code: 137, reason: "Killed")
            _ = try await harness.waitFor("doomed") { $0?.status?.scanners?.first { $0.name == "axe" }?.restarts == Int64(attempt) }
        }
        harness.runtime.finish(uid, "axe", code: 137, reason: "Killed")
        try await harness.succeed(uid, "seo", findings: [])
        let done = try await harness.waitFor("doomed") { $0?.status?.phase?.isFinished == true }
        let axe = try #require(done?.status?.scanners?.first { $0.name == "axe" })
        #expect(axe.state == "Failed")
        #expect(axe.restarts == 2)
        #expect(axe.message == "was killed (exit code 137) (after 2 restarts)", "\(axe)")
        #expect(harness.runtime.restartCount(uid, "axe") == 2)
        await harness.stop()
    }

    @Test("exit code 75 (object store unavailable) is retried; a crash, a time limit or a memory limit is not")
    func whichFailuresRestart() async throws {
        let harness = Harness()
        try await harness.start()
        let uid = try await harness.create("mixed", scanners: ["axe", "seo", "crashy"])
        _ = try await harness.waitFor("mixed") { $0?.status?.phase == .scanning }
        harness.runtime.finish(uid, "axe", code: ScannerExitCode.infrastructureUnavailable, log: "cannot write results.json: connection refused")
        harness.runtime.finish(uid, "seo", code: 137, reason: "Timeout")
        harness.runtime.finish(uid, "crashy", code: 1, log: "panic")
        let restarted = try await harness.waitFor("mixed") { $0?.status?.scanners?.first { $0.name == "axe" }?.restarts == 1 }
        #expect(restarted?.status?.scanners?.first { $0.name == "axe" }?.message?.contains("connection refused") == true)
        try await harness.succeed(uid, "axe", findings: [])
        let done = try await harness.waitFor("mixed") { $0?.status?.phase?.isFinished == true }
        let states = Dictionary(uniqueKeysWithValues: (done?.status?.scanners ?? []).map { ($0.name, $0) })
        #expect(states["axe"]?.state == "Succeeded")
        #expect(states["seo"]?.state == "Failed")
        #expect(states["seo"]?.restarts == nil)
        #expect(states["crashy"]?.state == "Failed")
        #expect(states["crashy"]?.restarts == nil)
        #expect(harness.runtime.restartCount(uid, "seo") == 0)
        #expect(harness.runtime.restartCount(uid, "crashy") == 0)
        await harness.stop()
    }

    @Test("with --scanner-restarts 0 a killed scanner fails at once")
    func restartsOff() async throws {
        let harness = Harness()
        try await harness.start(scannerRestarts: 0)
        let uid = try await harness.create("strict", scanners: ["axe"])
        _ = try await harness.waitFor("strict") { $0?.status?.phase == .scanning }
        harness.runtime.finish(uid, "axe", code: 137, reason: "Killed")
        let done = try await harness.waitFor("strict") { $0?.status?.phase?.isFinished == true }
        #expect(done?.status?.phase == .failed)
        #expect(done?.status?.scanners?.first?.message == "was killed (exit code 137)")
        #expect(harness.runtime.restartCount(uid, "axe") == 0)
        await harness.stop()
    }
}
