import Foundation
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// Refuses one host, as the target policy refuses forbidden addresses.
private struct RefusingPolicy: FetchPolicy {
    let host: String
    func check(_ address: WebAddress) async throws {
        if address.host == host { throw FetchPolicyViolation(reason: "\(host) is a forbidden address") }
    }
}

@Suite("axe through the runner in real Chromium", .serialized)
struct AxeEndToEndTests {
    static let isAvailable = ChromiumBrowserTests.isAvailable && (try? AxeScript.load()) != nil

    @Test(
        "violations with impact, WCAG tags, selector, HTML and a box on the stored screenshot; blocked subresources are page errors",
        .enabled(if: isAvailable, "needs chromium and axe.min.js (scripts/install-dependencies)"))
    func scansAPage() async throws {
        let server = try await LocalServer.scripted([
            "/": ["GET": .init(body: """
                <!doctype html><html><head><title>Shop</title></head><body><main>
                <h1>Shop</h1><p style="height: 900px">Catalogue</p>
                <img id="logo" src="/logo.png" style="width: 40px; height: 30px">
                <img src="http://blocked.test/tracker.gif">
                </main></body></html>
                """)],
            "/logo.png": ["GET": .init(status: 404, body: "")],
        ])
        defer { server.stop() }
        let fixture = try await PlanFixture(
            urls: [server.base + "/"],
            scanners: [
                PlanFixture.builtin(
                    "axe", maxConcurrency: 2,
                    severityMapping: ["critical": .critical, "serious": .serious, "moderate": .moderate, "minor": .minor])
            ])
        defer { fixture.remove() }
        let configuration = ScannerRunner.Configuration(fetchPolicy: RefusingPolicy(host: "blocked.test"))
        let results = try await ScannerRunner(configuration: configuration)
            .run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "axe")

        #expect(results.status == .success, "\(results.error ?? "")")
        #expect(results.toolVersion?.hasPrefix("axe-core 4.") == true)
        #expect(results.toolVersion?.contains("Chromium") == true)
        let imageAlt = try #require(results.findings.first { $0.ruleId == "image-alt" && $0.selector == "#logo" })
        #expect(imageAlt.severity == .critical && imageAlt.severityRaw == "critical")
        #expect(imageAlt.wcagTags?.contains("wcag2a") == true)
        #expect(imageAlt.html?.hasPrefix("<img id=\"logo\"") == true)
        let box = try #require(imageAlt.boundingBox)
        #expect(box.width == 40 && box.height == 30 && box.y > 900)
        #expect(results.findings.contains { $0.ruleId == "html-has-lang" })

        let page = try #require(results.pages.first)
        #expect(page.title == "Shop" && page.httpStatus == 200)
        #expect(page.errors?.contains { $0.contains("http://blocked.test/tracker.gif") && $0.contains("forbidden address") } == true)
        let screenshot = try #require(page.screenshot)
        let png = try await fixture.store.get(screenshot.key)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect((screenshot.height ?? 0) > 900)
    }
}
