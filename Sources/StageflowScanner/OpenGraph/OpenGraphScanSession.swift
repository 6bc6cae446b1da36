import StageflowReport

/// One run of the `open-graph` scanner. Pages are independent except for the image probe's cache, an actor,
/// so concurrent `scan` calls are safe.
struct OpenGraphScanSession: PageScanSession {
    let settings: OpenGraphSettings
    let probe: OpenGraphImageProbe

    var toolVersion: String { "stageflow open-graph 1.0" }

    var rules: [RuleDescriptor] { OpenGraphRule.descriptors }

    func scan(_ page: LoadedPage, tab: (any BrowserTab)?) async throws -> PageScanOutcome {
        guard page.isHTMLDocument else { return PageScanOutcome() }
        var audit = OpenGraphPageAudit(page: page, settings: settings)
        if settings.checkImages { try await audit.probeImages(with: probe) }
        return PageScanOutcome(
            findings: audit.findings, errors: audit.errors, checked: OpenGraphRule.allCases.map(\.id),
            inapplicable: audit.inapplicable(checkedImages: settings.checkImages))
    }
}
