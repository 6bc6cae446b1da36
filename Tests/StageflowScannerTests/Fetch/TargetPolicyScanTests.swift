import Foundation
import StageflowAPI
import StageflowHTTP
import StageflowIntake
import StageflowReport
import Testing

@testable import StageflowScanner

/// The target policy at scan time: redirects, subresources in the browser, and the connect-time check.
@Suite("target policy at scan time", .serialized)
struct TargetPolicyScanTests {
    @Test("the connect-time filter refuses blocked ranges always and private ones unless the plan allows them")
    func connectFilter() throws {
        let strict = try #require(TargetFetchPolicy(policy: TargetURLPolicy(allowPrivateTargets: false)).connectFilter)
        let open = try #require(TargetFetchPolicy(policy: TargetURLPolicy(allowPrivateTargets: true)).connectFilter)
        let loopback = ConnectAddress(bytes: [127, 0, 0, 1], port: 80)
        let metadata = ConnectAddress(bytes: [169, 254, 169, 254], port: 80)
        let mapped = ConnectAddress(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 169, 254, 169, 254], port: 80)
        #expect(strict.refusal(for: loopback) != nil)
        #expect(open.refusal(for: loopback) == nil)
        for filter in [strict, open] {
            #expect(filter.refusal(for: metadata)?.contains("169.254.169.254") == true)
            #expect(filter.refusal(for: mapped) != nil)
            #expect(filter.refusal(for: ConnectAddress(bytes: [93, 184, 215, 14], port: 443)) == nil)
        }
    }

    @Test("a redirect to the metadata address is blocked and recorded as a page error, private targets or not")
    func redirectToMetadata() async throws {
        let server = try await LocalServer.scripted([
            "/": ["GET": .init(status: 302, headers: [["Location", "http://169.254.169.254/latest/meta-data/"]], body: "")]
        ])
        defer { server.stop() }
        let fixture = try await PlanFixture(urls: [server.base + "/"], scanners: [PlanFixture.builtin("security-headers")])
        defer { fixture.remove() }
        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "security-headers")
        let errors = results.pages.first?.errors ?? []
        #expect(errors.contains { $0.contains("169.254.169.254") && $0.contains("blocked") }, "\(errors)")
    }

    @Test("loopback is refused when the plan does not allow private targets")
    func privateTargetsOff() async throws {
        let server = try await LocalServer.scripted(["/": ["GET": .init(body: "<title>x</title>")]])
        defer { server.stop() }
        let uid = "job-\(UUID().uuidString.prefix(8).lowercased())"
        let fixture = try await PlanFixture(urls: [server.base + "/"], scanners: [PlanFixture.builtin("security-headers")], uid: uid)
        defer { fixture.remove() }
        // The same plan, without private targets.
        var plan = try JSONDecoder().decode(ScanPlan.self, from: try await fixture.store.get(fixture.planKey))
        plan.allowPrivateTargets = false
        try await fixture.store.put(fixture.planKey, data: try JSONEncoder().encode(plan), contentType: "application/json")
        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "security-headers")
        #expect(results.status == .failed)
        let errors = results.pages.first?.errors ?? []
        #expect(errors.contains { $0.contains("blocked") && $0.contains("127.0.0.1") }, "\(errors)")
        // The archive site's own origin is the exception.
        plan.allowedOrigins = [server.base]
        try await fixture.store.put(fixture.planKey, data: try JSONEncoder().encode(plan), contentType: "application/json")
        let allowed = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "security-headers")
        #expect(allowed.status == .success, "\(allowed.pages.first?.errors ?? [])")
    }

    @Test(
        "a subresource from a blocked address is blocked inside Chromium and recorded as a page error",
        .enabled(if: ChromiumBrowserTests.isAvailable, "no chromium on PATH"))
    func blockedSubresource() async throws {
        let server = try await LocalServer.scripted([
            "/": ["GET": .init(body: """
                <!doctype html><html lang="en"><head><title>Page</title></head><body><main><h1>Page</h1>
                <img src="http://169.254.169.254/latest/meta-data/pixel.png" alt="pixel">
                </main></body></html>
                """)]
        ])
        defer { server.stop() }
        let fixture = try await PlanFixture(urls: [server.base + "/"], scanners: [PlanFixture.builtin("seo")])
        defer { fixture.remove() }
        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerIDs: ["seo"])
        // seo needs no browser on its own; with a browser scanner beside it the page is loaded in Chromium.
        let withBrowser = try await PlanFixture(
            urls: [server.base + "/"], scanners: [PlanFixture.builtin("seo"), PlanFixture.builtin("performance")])
        defer { withBrowser.remove() }
        let both = try await ScannerRunner().run(
            objectStore: withBrowser.store, planKey: withBrowser.planKey, scannerIDs: ["seo", "performance"])
        #expect(results[0].status == .success, "\(results[0].error ?? "") \(results[0].pages)")
        for result in both {
            let errors = result.pages.first?.errors ?? []
            #expect(
                errors.contains { $0.contains("http://169.254.169.254/latest/meta-data/pixel.png") && $0.contains("blocked") },
                "\(result.scanner): \(errors)")
        }
    }
}
