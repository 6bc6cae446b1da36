import Foundation
import StageflowTestSupport
import Testing

/// Kill -9 at a random point during a scan, restart, and check that every job converges to exactly one report
/// equal (by fingerprints) to a clean run's, with no duplicate scanner processes and nothing left behind once the
/// job is deleted.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    static let iterationsPerTarget = 10

    /// Runs one clean scan and returns its fingerprints.
    static func cleanFingerprints(_ driver: ScanDriver, site: FixtureSite) throws -> Set<String> {
        try driver.apply(fixtureScanYAML(name: "clean", site: site))
        guard try driver.waitFinished("clean") == "Done" else { throw E2EError("the clean run did not finish Done") }
        return try driver.fingerprints(uid: try driver.uid("clean"))
    }

    /// After a job is done: no scanner runs twice at once, nothing runs after the job's deletion, no pod state
    /// is left.
    static func checkCleanup(_ driver: ScanDriver, name: String, uid: String) throws {
        let deleted = try driver.ctl(["delete", "scanjob", name])
        #expect(deleted.status == 0, "\(deleted)")
        let gone = waitUntil(seconds: 60) { processes(mentioning: uid).isEmpty }
        #expect(gone, "processes left for \(uid): \(processes(mentioning: uid))")
        let podDirectory = driver.dataDirectory.appendingPathComponent("pods/\(uid)")
        #expect(!FileManager.default.fileExists(atPath: podDirectory.path), "pod state left at \(podDirectory.path)")
        let artifacts = driver.dataDirectory.appendingPathComponent("objects/artifacts/\(uid)")
        #expect(!FileManager.default.fileExists(atPath: artifacts.path), "artifacts left at \(artifacts.path)")
    }

    @Test("kill -9 of stageflow up during scans")
    func killUp() throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        var server = try StageflowUp(extraArguments: ["--allow-private-targets", "--leader-lease-seconds", "3"])
        let data = server.dataDirectory
        defer { _ = server.stop() }
        var driver = ScanDriver(server: server.url, dataDirectory: data)
        let clean = try Self.cleanFingerprints(driver, site: site)
        #expect(!clean.isEmpty)
        var generator = SystemRandomNumberGenerator()
        for iteration in 0..<Self.iterationsPerTarget {
            let name = "crash-up-\(iteration)"
            try driver.apply(fixtureScanYAML(name: name, site: site))
            Thread.sleep(forTimeInterval: Double.random(in: 0...1.5, using: &generator))
            kill(server.server.process.processIdentifier, SIGKILL)
            server.server.process.waitUntilExit()
            server = try StageflowUp(dataDirectory: data, extraArguments: ["--allow-private-targets", "--leader-lease-seconds", "3"])
            driver = ScanDriver(server: server.url, dataDirectory: data)
            #expect(try driver.waitFinished(name) == "Done", "iteration \(iteration)")
            let uid = try driver.uid(name)
            #expect(try driver.fingerprints(uid: uid) == clean, "iteration \(iteration): fingerprints differ from the clean run")
            try Self.checkCleanup(driver, name: name, uid: uid)
        }
    }

    @Test("kill -9 of a separate controller process during scans")
    func killController() throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets", "--no-run-controllers"])
        defer { _ = server.stop() }
        let data = server.dataDirectory
        let controllerArguments = ["controller", "--server", server.url, "--data-dir", data.path, "--allow-private-targets", "--leader-lease-seconds", "3"]
        var controller = try BackgroundProcess(Binaries.stageflow, controllerArguments)
        defer { controller.stop(grace: 5) }
        let driver = ScanDriver(server: server.url, dataDirectory: data)
        // The controller publishes the scanner manifests when it starts; jobs may name them only after that.
        let registered = waitUntil(seconds: 60) {
            (try? driver.ctl(["get", "scanners", "-o", "name"]).stdout.contains("link-checker")) == true
        }
        #expect(registered, "the controller did not register its scanners: \(controller.errors.text.suffix(2000))")
        let clean = try Self.cleanFingerprints(driver, site: site)
        var generator = SystemRandomNumberGenerator()
        for iteration in 0..<Self.iterationsPerTarget {
            let name = "crash-controller-\(iteration)"
            try driver.apply(fixtureScanYAML(name: name, site: site))
            Thread.sleep(forTimeInterval: Double.random(in: 0...1.5, using: &generator))
            kill(controller.process.processIdentifier, SIGKILL)
            controller.process.waitUntilExit()
            controller = try BackgroundProcess(Binaries.stageflow, controllerArguments)
            #expect(try driver.waitFinished(name) == "Done", "iteration \(iteration): \(controller.errors.text.suffix(2000))")
            let uid = try driver.uid(name)
            #expect(try driver.fingerprints(uid: uid) == clean, "iteration \(iteration): fingerprints differ from the clean run")
            try Self.checkCleanup(driver, name: name, uid: uid)
        }
    }
}
