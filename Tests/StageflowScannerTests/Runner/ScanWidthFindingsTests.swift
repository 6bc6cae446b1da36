import Foundation
import StageflowReport
import Testing

@testable import StageflowScanner

/// Scanning pages side by side in separate tabs must not change what is found: the page scanners over docs-site
/// pages, one page at a time and two at once, give the same findings (`docs/architecture.md`, "Limits and
/// numbers": the shared browser's width).
@Suite("findings do not depend on how many pages are scanned at once")
struct ScanWidthFindingsTests {
    static let isAvailable = PageScannersInChromiumTests.isAvailable
        && TestPaths.exists(TestPaths.docsSite.appendingPathComponent("index.html"))

    /// Ten pages of the corpus, of several sections, with findings of every scanner among them.
    static let paths = [
        "", "404.html", "api-guide/authentication/", "api-guide/permissions/", "community/3.0-announcement/",
        "community/3.7-announcement/", "community/tutorials-and-resources/", "topics/documenting-your-api/",
        "topics/internationalization/", "tutorial/quickstart/",
    ]

    /// Every finding as `scanner rule url selector`. The performance scanner is left out: its findings are
    /// measurements of each load, which differ from run to run whatever the width.
    func findings(width: Int64, base: String) async throws -> Set<String> {
        let ids = ["axe", "seo", "open-graph", "spelling"]
        let fixture = try await PlanFixture(
            urls: Self.paths.map { base + $0 }, scanners: ids.map { PlanFixture.builtin($0, maxConcurrency: width) })
        defer { fixture.remove() }
        let results = try await ScannerRunner().run(objectStore: fixture.store, planKey: fixture.planKey, scannerIDs: ids)
        #expect(results.allSatisfy { $0.status == .success }, "\(results.map { "\($0.scanner): \($0.status) \($0.error ?? "")" })")
        return Set(results.flatMap { result in
            result.findings.map { "\(result.scanner) \($0.ruleId) \($0.url.dropFirst(base.count)) \($0.selector ?? "-")" }
        })
    }

    @Test(
        "axe, seo, open-graph and spelling over 10 docs-site pages: the same findings one page at a time and two at once",
        .enabled(if: isAvailable, "needs chromium, axe.min.js and the shared corpus"))
    func sameFindings() async throws {
        let server = try await LocalServer.serving(directory: TestPaths.docsSite)
        defer { server.stop() }
        let base = server.base + "/"
        let one = try await findings(width: 1, base: base)
        let two = try await findings(width: 2, base: base)
        #expect(!one.isEmpty)
        #expect(one.subtracting(two).isEmpty, "found one at a time only: \(one.subtracting(two).sorted().prefix(10))")
        #expect(two.subtracting(one).isEmpty, "found two at a time only: \(two.subtracting(one).sorted().prefix(10))")
    }
}
