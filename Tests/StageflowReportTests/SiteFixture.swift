import StageflowAPI
import StageflowReport

/// A small site scanned by five scanners, with the overlaps the equivalence table knows about.
enum SiteFixture {
    static let home = "https://example.com/"
    static let about = "https://example.com/about"
    static let contact = "https://example.com/contact"

    static func meta(jobId: String = "job-1") -> ReportMeta {
        ReportMeta(
            jobId: jobId, jobName: "homepage", baseUrl: home, scannedAt: "2026-01-16T10:00:00Z",
            completedAt: "2026-01-16T10:02:00Z", durationMs: 120_000
        )
    }

    static func page(_ url: String, scanner: String, title: String? = nil) -> ScannedPage {
        ScannedPage(
            url: url, title: title, httpStatus: 200,
            screenshot: ScreenshotReference(key: "artifacts/uid/\(scanner)/\(url.count).png", width: 1280, height: 2000)
        )
    }

    static func finding(
        _ ruleId: String, _ severity: Severity, on url: String, selector: String? = nil, html: String? = nil,
        box: BoundingBox? = nil, tags: [String]? = nil
    ) -> ScannerFinding {
        ScannerFinding(
            ruleId: ruleId, title: "Title of \(ruleId)", message: "\(ruleId) violated", severity: severity,
            severityRaw: severity.rawValue, url: url, selector: selector, html: html, boundingBox: box, wcagTags: tags,
            howToFix: "Fix \(ruleId)", helpUrl: "https://docs.example.org/rules/\(ruleId)"
        )
    }

    static func axe(extra: [ScannerFinding] = []) -> ScannerResults {
        ScannerResults(
            scanner: "axe", toolVersion: "axe-core 4.12.0", status: .success,
            timings: ScannerTimings(startedAt: "2026-01-16T10:00:00Z", finishedAt: "2026-01-16T10:01:00Z", durationMs: 60_000),
            pages: [page(home, scanner: "axe", title: "Home"), page(about, scanner: "axe", title: "About"), page(contact, scanner: "axe", title: "Contact")],
            findings: [
                finding("image-alt", .critical, on: home, selector: "html > body > main > img.hero", html: "<img class=\"hero\" src=\"/hero.png\">",
                        box: BoundingBox(x: 100, y: 200, width: 640, height: 320), tags: ["wcag2a", "wcag111"]),
                finding("color-contrast", .serious, on: home, selector: "footer > p", html: "<p>small print</p>",
                        box: BoundingBox(x: 20, y: 1800, width: 400, height: 20), tags: ["wcag2aa", "wcag143"]),
                finding("heading-order", .moderate, on: about, selector: "main > h4", html: "<h4>Team</h4>", tags: ["best-practice"]),
                finding("document-title", .serious, on: about, selector: "html", html: "<html lang=\"en\">", tags: ["wcag2a", "wcag242"]),
                finding("label", .critical, on: contact, selector: "form > input#email", html: "<input id=\"email\">",
                        box: BoundingBox(x: 50, y: 400, width: 300, height: 30), tags: ["wcag2a", "wcag412"]),
            ] + extra
        )
    }

    static func seo(extra: [ScannerFinding] = []) -> ScannerResults {
        ScannerResults(
            scanner: "seo", toolVersion: "stageflow-seo 1.0", status: .success,
            pages: [page(home, scanner: "seo"), page(about, scanner: "seo"), page(contact, scanner: "seo")],
            findings: [
                finding("images-missing-alt", .serious, on: home, selector: "main  >  img.hero", tags: ["seo"]),
                finding("missing-title", .serious, on: about),
                finding("heading-hierarchy", .minor, on: about, selector: "main > h3"),
                finding("images-missing-alt", .moderate, on: contact, selector: "main > img.logo"),
                finding("missing-meta-description", .minor, on: home),
            ] + extra
        )
    }

    static func securityHeaders() -> ScannerResults {
        ScannerResults(
            scanner: "security-headers", toolVersion: "1.0", status: .success,
            pages: [ScannedPage(url: home, httpStatus: 200)],
            findings: [
                finding("hsts-missing", .serious, on: home),
                finding("csp-missing", .moderate, on: home),
            ]
        )
    }

    static func linkChecker() -> ScannerResults {
        ScannerResults(
            scanner: "link-checker", status: .success,
            pages: [ScannedPage(url: home), ScannedPage(url: about), ScannedPage(url: contact)],
            findings: [finding("broken-link", .moderate, on: about, selector: "a[href='/gone']", html: "<a href=\"/gone\">gone</a>")]
        )
    }

    static func lighthouseFailed() -> ScannerResults {
        .failed(scanner: "lighthouse", error: "exit code 137: out of memory (last log: Chrome crashed)")
    }

    /// Every scanner's results of one run of the site.
    static func results() -> [ScannerResults] {
        [axe(), seo(), securityHeaders(), linkChecker()]
    }

    static func report(
        _ results: [ScannerResults] = results(), jobId: String = "job-1", baseline: Report? = nil
    ) -> Report {
        ReportAggregator().aggregate(
            meta: meta(jobId: jobId), results: results,
            artifacts: [
                Artifact(key: "artifacts/uid/axe/results.json", kind: "results", scanner: "axe", contentType: "application/json", sizeBytes: 2048),
                Artifact(key: "artifacts/uid/report.json", kind: "report", contentType: "application/json"),
            ],
            baseline: baseline
        )
    }
}
