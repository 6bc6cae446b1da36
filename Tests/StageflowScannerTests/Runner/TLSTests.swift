import Foundation
import StageflowReport
import Testing

@testable import StageflowScanner

@Suite("sites whose certificate does not verify")
struct TLSTests {
    typealias Response = LocalServer.Response

    static let page: [String: [String: Response]] = [
        "/": ["*": Response(
            headers: [["Content-Type", "text/html"], ["Strict-Transport-Security", "max-age=31536000"]],
            body: "<title>Self-signed</title>")]
    ]

    @Test("the fetcher verifies certificates; only a request that allows it retries unverified and says so")
    func unverifiedRetry() async throws {
        let server = try await LocalServer.scripted(Self.page, tls: true)
        defer { server.stop() }
        let address = try #require(WebAddress(server.base + "/"))
        let strict = try await PageFetcher().fetch(FetchRequest(address))
        #expect(strict.failure?.kind == .tls)
        let lenient = try await PageFetcher().fetch(FetchRequest(address, retriesUnverifiedTLS: true))
        #expect(lenient.status == 200)
        #expect(!lenient.tlsVerified)
    }

    @Test("security-headers grades the site (hsts-invalid-cert); link-checker reports the page as unreachable")
    func scanners() async throws {
        let server = try await LocalServer.scripted(Self.page, tls: true)
        defer { server.stop() }
        let fixture = try await PlanFixture(
            urls: [server.base + "/"],
            scanners: [PlanFixture.builtin("security-headers", config: ["checkRedirection": false]), PlanFixture.builtin("link-checker")])
        defer { fixture.remove() }
        let runner = ScannerRunner()
        let headers = try await runner.run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "security-headers")
        #expect(headers.status == .success)
        #expect(headers.findings.contains { $0.ruleId == "hsts-invalid-cert" })
        let links = try await runner.run(objectStore: fixture.store, planKey: fixture.planKey, scannerID: "link-checker")
        #expect(links.status == .failed)
        #expect(links.pages.first?.errors?.isEmpty == false)
    }
}
