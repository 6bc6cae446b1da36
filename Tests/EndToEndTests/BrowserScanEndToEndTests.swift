import Foundation
import StageflowTestSupport
import Testing

/// Scans with the browser scanners: `stageflow up` plans them into one shared-browser container, which runs real
/// headless Chromium against the loopback fixture site.
@Suite("Browser scans end to end", .serialized)
struct BrowserScanEndToEndTests {
    static let isAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
        && FileManager.default.fileExists(atPath: "/usr/local/share/stageflow/axe/axe.min.js")

    @Test(
        "axe beside security-headers: one shared-browser container, axe findings with screenshots in the report",
        .enabled(if: isAvailable, "needs Debian's chromium and axe.min.js (scripts/install-dependencies)"))
    func axeScan() throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        try driver.apply(
            """
            apiVersion: stageflow.dev/v1alpha1
            kind: ScanJob
            metadata:
              name: with-axe
            spec:
              allowPrivateTargets: true
              target:
                urls:
                  - \(site.baseURL)/
                  - \(site.baseURL)/about/
              scanners:
                - name: axe
                - name: security-headers
            """)
        #expect(try driver.waitFinished("with-axe") == "Done", "\(String(describing: try? driver.job("with-axe")))")
        let job = try #require(try driver.job("with-axe"))
        let status = job["status"] as? [String: Any] ?? [:]
        let states = Dictionary(
            (status["scanners"] as? [[String: Any]] ?? []).map { (($0["name"] as? String) ?? "", $0["state"] as? String ?? "") },
            uniquingKeysWith: { first, _ in first })
        #expect(states == ["axe": "Succeeded", "security-headers": "Succeeded"], "\(status)")

        let report = try driver.report(uid: try driver.uid("with-axe"))
        let scanners = report["scanners"] as? [[String: Any]] ?? []
        let axe = try #require(scanners.first { $0["id"] as? String == "axe" })
        #expect((axe["toolVersion"] as? String)?.hasPrefix("axe-core 4.") == true, "\(axe)")
        let issues = report["issues"] as? [[String: Any]] ?? []
        #expect(issues.contains { $0["scanner"] as? String == "axe" }, "\(issues.map { $0["ruleId"] ?? "" })")
        let pages = report["pages"] as? [[String: Any]] ?? []
        #expect(pages.count == 2)
        #expect(pages.allSatisfy { ($0["screenshot"] as? [String: Any])?["key"] is String }, "\(pages)")
        // Both categories scored, and the stored report.html carries the page screenshots.
        let categories = (report["summary"] as? [String: Any])?["categories"] as? [[String: Any]] ?? []
        #expect(Set(categories.compactMap { $0["id"] as? String }) == ["accessibility", "security"], "\(categories)")
        #expect(categories.allSatisfy { $0["score"] is Double }, "\(categories)")
        let uid = try driver.uid("with-axe")
        let html = try String(
            contentsOf: driver.dataDirectory.appendingPathComponent("objects/artifacts/\(uid)/report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 2, "one embedded screenshot per page")
        #expect(html.contains("Needs review ("))
    }
}
