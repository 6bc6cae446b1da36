import StageflowAPI
import Testing

@testable import StageflowReport

@Suite struct BaselineDiffTests {
    @Test func sameSiteTwiceIsAllUnchanged() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        let report = SiteFixture.report(jobId: "job-1", baseline: baseline)
        let diff = try #require(report.diff)
        #expect(diff.baselineJobId == "job-0")
        #expect(diff.new.isEmpty && diff.fixed.isEmpty && diff.unverified.isEmpty)
        #expect(diff.unchanged == report.issues.flatMap(\.elementIds).sorted())
        #expect(diff.counts == DiffCounts(new: 0, fixed: 0, unchanged: 11, unverified: 0, newIssues: 0))
        #expect(diff.newIssues.isEmpty)
        #expect(diff.baselineScore == baseline.summary.score)
    }

    @Test func newFixedUnchangedAreExact() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        // Fix the contrast problem on /, add a button-name problem on /about.
        var axe = SiteFixture.axe(extra: [SiteFixture.finding("button-name", .critical, on: SiteFixture.about, selector: "button.menu")])
        axe.findings.removeAll { $0.ruleId == "color-contrast" }
        let report = SiteFixture.report([axe, SiteFixture.seo(), SiteFixture.securityHeaders(), SiteFixture.linkChecker()], baseline: baseline)
        let diff = try #require(report.diff)

        let aboutId = PageIdentifier.id(for: SiteFixture.about)
        let homeId = PageIdentifier.id(for: SiteFixture.home)
        let added = Fingerprint.compute(scanner: "axe", ruleId: "button-name", pageId: aboutId, selector: "button.menu")
        let removed = Fingerprint.compute(scanner: "axe", ruleId: "color-contrast", pageId: homeId, selector: "footer > p")
        #expect(diff.new == [added])
        #expect(diff.newIssues == [Fingerprint.compute(scanner: "axe", ruleId: "button-name", pageId: aboutId, selector: "")])
        #expect(diff.fixed.map(\.id) == [removed])
        #expect(diff.fixed.first?.ruleId == "color-contrast")
        #expect(diff.fixed.first?.selector == "footer > p")
        #expect(Set(diff.unchanged) == Set(baseline.issues.flatMap(\.elementIds)).subtracting([removed]))
        #expect(diff.unverified.isEmpty)
    }

    @Test func changingOnePageChangesTheDiffByExactlyItsFindings() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        let contactId = PageIdentifier.id(for: SiteFixture.contact)
        // On /contact the label problem is fixed and two images lose their alt text.
        func changeContact(_ results: ScannerResults) -> ScannerResults {
            var results = results
            results.findings.removeAll { PageIdentifier.id(for: $0.url) == contactId }
            if results.scanner == "axe" {
                results.findings += [
                    SiteFixture.finding("image-alt", .critical, on: SiteFixture.contact, selector: "main > img.logo"),
                    SiteFixture.finding("image-alt", .critical, on: SiteFixture.contact, selector: "main > img.map"),
                ]
            }
            return results
        }
        let report = SiteFixture.report(SiteFixture.results().map(changeContact), baseline: baseline)
        let diff = try #require(report.diff)

        let before = Set(baseline.issues.filter { $0.pageId == contactId }.flatMap(\.elementIds))
        let after = Set(report.issues.filter { $0.pageId == contactId }.flatMap(\.elementIds))
        let untouched = Set(baseline.issues.filter { $0.pageId != contactId }.flatMap(\.elementIds))
        #expect(Set(report.issues.filter { $0.pageId != contactId }.flatMap(\.elementIds)) == untouched)

        // gone and an axe issue is new: the diff is exactly the per-page set difference.
        #expect(Set(diff.new) == after.subtracting(before))
        #expect(Set(diff.fixed.map(\.id)) == before.subtracting(after))
        #expect(Set(diff.unchanged) == untouched.union(after.intersection(before)))
        #expect(diff.new.count == 2)
        #expect(diff.fixed.count == 2)
        // The two new elements are one new issue: image-alt on /contact.
        #expect(diff.newIssues.count == 1)
        #expect(report.issues.first { $0.id == diff.newIssues.first }?.occurrences.count == 2)
    }

    @Test func aMergedFindingIsNotNewWhenAHigherPriorityScannerStartsReportingIt() throws {
        // Baseline: only seo reported the missing alt on /contact. Now axe reports it too and wins the merge.
        let baseline = SiteFixture.report(jobId: "job-0")
        let axe = SiteFixture.axe(extra: [SiteFixture.finding("image-alt", .critical, on: SiteFixture.contact, selector: "main > img.logo")])
        let report = SiteFixture.report([axe, SiteFixture.seo(), SiteFixture.securityHeaders(), SiteFixture.linkChecker()], baseline: baseline)
        let diff = try #require(report.diff)
        #expect(diff.new.isEmpty)
        #expect(diff.fixed.isEmpty)
        let merged = try #require(report.issues.first { $0.pageId == PageIdentifier.id(for: SiteFixture.contact) && $0.canonicalRule == "image-alt" })
        #expect(merged.scanner == "axe")
        #expect(!merged.elementIds.isEmpty && merged.elementIds.allSatisfy(diff.unchanged.contains))
    }

    @Test func issuesOfAScannerThatFailedAreUnverifiedNotFixed() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        let report = SiteFixture.report(
            [SiteFixture.axe(), SiteFixture.seo(), .failed(scanner: "security-headers", error: "timeout"), SiteFixture.linkChecker()],
            baseline: baseline
        )
        let diff = try #require(report.diff)
        let headerIds = baseline.issues.filter { $0.scanner == "security-headers" }.flatMap(\.elementIds).sorted()
        #expect(headerIds.count == 2)
        #expect(diff.unverified == headerIds)
        #expect(diff.fixed.isEmpty)
        #expect(diff.new.isEmpty)
    }

    @Test func issuesOnPagesNotScannedAgainAreUnverified() throws {
        let baseline = SiteFixture.report(jobId: "job-0")
        var linkChecker = SiteFixture.linkChecker()
        linkChecker.pages.removeAll { $0.url == SiteFixture.about }
        linkChecker.findings = []
        let report = SiteFixture.report([SiteFixture.axe(), SiteFixture.seo(), SiteFixture.securityHeaders(), linkChecker], baseline: baseline)
        let diff = try #require(report.diff)
        #expect(diff.unverified == baseline.issues.filter { $0.scanner == "link-checker" }.flatMap(\.elementIds))
        #expect(diff.fixed.isEmpty)
    }
}
