import StageflowReport

/// One run of the `seo` scanner: checks each page on its own as it comes, and keeps each page's title and
/// description in a `SEOSiteIndex` for the cross-page findings of `finish()`. Safe for concurrent `scan`
/// calls.
struct SEOScanSession: PageScanSession {
    let settings: SEOSettings
    let index = SEOSiteIndex()

    var toolVersion: String { "stageflow seo 1.0" }

    var rules: [RuleDescriptor] { SEORule.descriptors }

    func scan(_ page: LoadedPage, tab: (any BrowserTab)?) async throws -> PageScanOutcome {
        guard page.isHTMLDocument else { return PageScanOutcome() }
        let audit = SEOPageAudit(page: page, settings: settings)
        await index.record(url: page.url, identity: page.finalURL, title: audit.title, description: audit.description)
        return PageScanOutcome(findings: audit.findings, checked: SEORule.allCases.map(\.id), inapplicable: audit.inapplicable)
    }

    func finish() async throws -> [ScannerFinding] {
        await index.duplicateFindings()
    }
}
