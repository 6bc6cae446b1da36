import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import Testing

@testable import StageflowScanner

@Suite("scanner runner end to end")
struct ScannerRunnerTests {
    typealias Response = LocalServer.Response

    @Test("security-headers against a local server: results.json written last, decodable, with evidence")
    func securityHeaders() async throws {
        let server = try await LocalServer.scripted([
            "/": ["*": Response(
                headers: [
                    ["Content-Type", "text/html; charset=utf-8"], ["X-Frame-Options", "SAMEORIGIN"],
                    ["Set-Cookie", "sessionid=abc; Path=/"], ["Referrer-Policy", "unsafe-url"],
                ],
                body: #"<html><head><title>Home</title><meta http-equiv="Content-Security-Policy" content="script-src 'unsafe-inline'"></head><body><a href="/missing">x</a></body></html>"#)],
            "/broken": ["*": Response(status: 500, body: "oops")],
        ])
        defer { server.stop() }
        let fixture = try await PlanFixture(
            urls: [server.base + "/", server.base + "/broken"],
            scanners: [PlanFixture.builtin("security-headers", severityMapping: ["-5": .moderate])])
        defer { fixture.remove() }

        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "security-headers")
        let stored = try await fixture.storedResults("security-headers", as: ScannerResults.self)
        #expect(stored == results)
        #expect(results.scanner == "security-headers")
        #expect(results.status == .partial)
        #expect(results.pages.map(\.httpStatus) == [200, 500])
        #expect(results.pages[1].errors == ["HTTP 500 Internal Server Error"])
        #expect(results.timings?.startedAt != nil && results.timings?.durationMs != nil)
        #expect(results.toolVersion?.contains("Observatory") == true)

        let rules = Set(results.findings.map(\.ruleId))
        #expect(rules.isSuperset(of: [
            "csp-implemented-with-unsafe-inline", "hsts-not-implemented-no-https", "redirection-missing",
            "cookies-session-without-secure-flag", "referrer-policy-unsafe",
        ]))
        #expect(!rules.contains("observatory-score"))
        // The graded page lists the Observatory tests it passed; the page that answered 500 lists none.
        #expect(results.pages[0].passed?.contains("x-frame-options") == true)
        #expect(results.pages[0].passed?.contains("content-security-policy") == true)
        #expect(results.pages[1].passed == [])
        #expect(results.rules?.contains { $0.id == "strict-transport-security" && $0.severity == .serious } == true)
        #expect(!rules.contains("x-frame-options-not-implemented"))
        // The plan's severity mapping re-grades -5 results.
        #expect(results.findings.first { $0.ruleId == "referrer-policy-unsafe" }?.severity == .moderate)
        #expect(results.findings.allSatisfy { $0.url == server.base + "/" })
        let pageID = PageIdentifier.id(for: server.base + "/")
        #expect(try await fixture.evidenceKeys("security-headers") == ["artifacts/\(fixture.uid)/security-headers/evidence/\(pageID).json"])
    }

    @Test("an exec plugin runs with the plan and its results come back, raw severities mapped")
    func execPlugin() async throws {
        try #require(TestPaths.exists(TestPaths.examplePlugin))
        let server = try await LocalServer.scripted([
            "/short": ["*": Response(body: "<title>Hi</title>")],
            "/good": ["*": Response(body: "<title>A perfectly reasonable title</title>")],
            "/none": ["*": Response(body: "<p>no title</p>")],
            "/gone": ["*": Response(status: 404)],
        ])
        defer { server.stop() }
        let plugin = PlannedScanner(
            id: "title-length", version: "1.0.0", entry: ScannerEntry(command: ["python3", TestPaths.examplePlugin.path]),
            config: ["minLength": 5], maxConcurrency: 1, timeoutSeconds: 60, memoryMiB: nil,
            severityMapping: ["error": .moderate, "warning": .minor])
        let fixture = try await PlanFixture(
            urls: ["/short", "/good", "/none", "/gone"].map { server.base + $0 }, scanners: [plugin])
        defer { fixture.remove() }

        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "title-length")
        #expect(results.status == .partial)
        #expect(results.pages.map(\.title) == ["Hi", "A perfectly reasonable title", nil, nil])
        #expect(results.pages[3].errors?.first?.contains("404") == true)
        #expect(results.findings.map(\.ruleId) == ["title-too-short", "title-missing"])
        #expect(results.findings.map(\.severity) == [.minor, .moderate])
        #expect(results.timings?.durationMs != nil)
        #expect(try await fixture.evidenceKeys("title-length") == ["artifacts/\(fixture.uid)/title-length/evidence/titles.json"])
        #expect(try await fixture.storedResults("title-length", as: ScannerResults.self) == results)
    }

    @Test("a plugin that fails is a fatal error quoting its last stderr line; no results are written")
    func failingPlugin() async throws {
        let plugin = PlannedScanner(
            id: "broken", version: "1", entry: ScannerEntry(command: ["/bin/sh", "-c", "echo 'cannot parse plan' >&2; exit 3"]),
            config: nil, maxConcurrency: 1, timeoutSeconds: 30, memoryMiB: nil, severityMapping: nil)
        let fixture = try await PlanFixture(urls: ["http://127.0.0.1:9/"], scanners: [plugin])
        defer { fixture.remove() }
        let error = await #expect(throws: ScannerRunError.self) {
            try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "broken")
        }
        #expect(error?.message == "plugin broken exited with status 3: cannot parse plan")
        #expect(error?.exitCode == 1)
        #expect(try await fixture.store.head(ObjectKeys.scannerResults(jobUID: fixture.uid, scanner: "broken")) == nil)
    }

    @Test("a plugin past its time budget is stopped")
    func slowPlugin() async throws {
        let plugin = PlannedScanner(
            id: "slow", version: "1", entry: ScannerEntry(command: ["/bin/sleep", "60"]), config: nil, maxConcurrency: 1,
            timeoutSeconds: 3, memoryMiB: nil, severityMapping: nil)
        let fixture = try await PlanFixture(urls: ["http://127.0.0.1:9/"], scanners: [plugin])
        defer { fixture.remove() }
        // `sleep 60` would exit 0 without results; the message shows it was stopped at its budget instead.
        let error = await #expect(throws: ScannerRunError.self) {
            try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "slow")
        }
        #expect(error?.message.contains("did not finish within its time budget") == true)
    }

    @Test("a plan naming an unknown scanner, or no plan at all, is bad input (exit code 2) with a clear message")
    func badInput() async throws {
        let unknown = PlannedScanner(
            id: "axe-core", version: "1", entry: ScannerEntry(builtin: "axe-core"), config: nil, maxConcurrency: 1,
            timeoutSeconds: nil, memoryMiB: nil, severityMapping: nil)
        let fixture = try await PlanFixture(urls: ["http://127.0.0.1:9/"], scanners: [unknown])
        defer { fixture.remove() }
        let runner = ScannerRunner()
        let notBuiltin = await #expect(throws: ScannerRunError.self) {
            try await runner.run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "axe-core")
        }
        let builtins = runner.registry.ids.joined(separator: ", ")
        #expect(runner.registry.ids.contains("link-checker") && runner.registry.ids.contains("security-headers"))
        #expect(notBuiltin?.message == #"unknown built-in scanner "axe-core" for scanner "axe-core" (built-ins: "# + builtins + ")")
        #expect(notBuiltin?.exitCode == 2)
        let notPlanned = await #expect(throws: ScannerRunError.self) {
            try await runner.run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "link-checker")
        }
        #expect(notPlanned?.message == "the plan \(fixture.planKey) has no scanner \"link-checker\" (it plans: axe-core)")
        let missing = await #expect(throws: ScannerRunError.self) {
            try await runner.run(objectStore: fixture.store, planKey: "artifacts/nope/plan.json", scannerID: "axe-core")
        }
        #expect(missing?.message.hasPrefix("no scan plan at artifacts/nope/plan.json in directory ") == true)
        try await fixture.store.put("artifacts/bad/plan.json", text: #"{"version": 1, "job": {}}"#)
        let undecodable = await #expect(throws: ScannerRunError.self) {
            try await runner.run(objectStore: fixture.store, planKey: "artifacts/bad/plan.json", scannerID: "x")
        }
        #expect(undecodable?.message == "artifacts/bad/plan.json is not a valid scan plan: job.uid: required field missing")

        #expect(await runner.runCommand(objectStore: fixture.root.path, planKey: fixture.planKey, scannerIDs: ["axe-core"]) == 2)
        #expect(await runner.runCommand(objectStore: "ftp://nowhere", planKey: fixture.planKey, scannerIDs: ["axe-core"]) == 2)
    }

    @Test("an object store refusing every connection past the retry window is exit code 75, which the controller retries")
    func objectStoreFailure() async throws {
        // Nothing listens on port 1: every connection is refused, retried for one second, then given up.
        let location = "s3://plans?endpoint=http://127.0.0.1:1&region=us-east-1&accessKeyId=A&secretAccessKey=B&retrySeconds=1"
        let store = try ObjectStoreLocation(parsing: location).makeStore()
        let error = await #expect(throws: ScannerRunError.self) {
            try await ScannerRunner().run(objectStore: store, planKey: "artifacts/x/plan.json", scannerID: "link-checker")
        }
        #expect(error?.kind == .objectStore)
        #expect(error?.message.hasPrefix("cannot read the scan plan artifacts/x/plan.json") == true, "\(String(describing: error))")
        #expect(await ScannerRunner().runCommand(objectStore: location, planKey: "artifacts/x/plan.json", scannerIDs: ["link-checker"]) == 75)
    }

    @Test("configuration that does not fit the scanner is bad input naming the field")
    func badConfiguration() async throws {
        let fixture = try await PlanFixture(
            urls: ["http://127.0.0.1:9/"], scanners: [PlanFixture.builtin("link-checker", config: ["checkExternal": "yes"])])
        defer { fixture.remove() }
        let error = await #expect(throws: ScannerRunError.self) {
            try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "link-checker")
        }
        #expect(error?.message.hasPrefix("configuration of scanner \"link-checker\" is invalid: checkExternal:") == true)
        #expect(error?.exitCode == 2)
    }

    @Test("pages that cannot be reached are page errors; the run still writes results (status failed)")
    func unreachablePages() async throws {
        let fixture = try await PlanFixture(
            urls: ["http://127.0.0.1:9/", "not a url"], scanners: [PlanFixture.builtin("link-checker")])
        defer { fixture.remove() }
        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "link-checker")
        #expect(results.status == .failed)
        #expect(results.pages.count == 2)
        #expect(results.pages.allSatisfy { !($0.errors ?? []).isEmpty })
        #expect(results.pages[1].errors == ["not an http or https URL: not a url"])
        #expect(try await fixture.storedResults("link-checker", as: ScannerResults.self) == results)
    }
}
