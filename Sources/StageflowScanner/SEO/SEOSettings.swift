/// The configuration with defaults applied, in the form the checks use.
struct SEOSettings: Sendable {
    var maxTitleLength: Int
    var minTitleLength: Int?
    var maxDescriptionLength: Int
    /// Normalised (`SEOPageAudit.normalizedLinkText`).
    var nonDescriptiveLinkTexts: Set<String>

    init(_ configuration: SEOScanner.Configuration = .init()) {
        maxTitleLength = configuration.maxTitleLength ?? 60
        minTitleLength = configuration.minTitleLength
        maxDescriptionLength = configuration.maxDescriptionLength ?? 160
        nonDescriptiveLinkTexts = Set(
            (configuration.nonDescriptiveLinkTexts ?? SEOScanner.defaultNonDescriptiveLinkTexts)
                .map(SEOPageAudit.normalizedLinkText).filter { !$0.isEmpty })
    }
}
