import Foundation
import StageflowAPI
import Testing

@testable import StageflowReport

@Suite struct SchemaValidationTests {
    @Test(.enabled(if: PythonJSONSchema.isAvailable, "python3 with jsonschema is not installed"))
    func reportValidatesAgainstItsSchema() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        var axe = SiteFixture.axe()
        axe.findings.removeAll { $0.ruleId == "label" }
        let reports = [
            SiteFixture.report(),
            SiteFixture.report([axe, SiteFixture.seo(), SiteFixture.lighthouseFailed(), .skipped(scanner: "open-graph", reason: "disabled")], baseline: baseline),
            SiteFixture.report([SiteFixture.lighthouseFailed()]),
        ]
        for report in reports {
            let errors = try PythonJSONSchema.errors(of: report.jsonData(), against: PackagePaths.reportSchema)
            #expect(errors == [], "report \(report.meta.jobId) (\(report.status))")
        }
    }

    @Test(.enabled(if: PythonJSONSchema.isAvailable, "python3 with jsonschema is not installed"))
    func schemaRejectsABrokenReport() throws {
        var report = SiteFixture.report()
        report.issues[0].id = "not-a-fingerprint"
        let errors = try PythonJSONSchema.errors(of: report.jsonData(), against: PackagePaths.reportSchema)
        #expect(errors.contains { $0.hasPrefix("/issues/0/id") })
    }

    @Test(
        .enabled(if: PythonJSONSchema.isAvailable, "python3 with jsonschema is not installed"),
        .enabled(if: PackagePaths.sarifSchema != nil, "corpus absent: sarif/sarif-schema-2.1.0.json not found")
    )
    func sarifValidatesAgainstTheSARIF210Schema() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        for report in [SiteFixture.report(), SiteFixture.report([SiteFixture.axe(), SiteFixture.lighthouseFailed()], baseline: baseline)] {
            let sarif = try SARIFRenderer().render(report)
            let errors = try PythonJSONSchema.errors(of: sarif, against: try #require(PackagePaths.sarifSchema))
            #expect(errors == [])
        }
    }
}
