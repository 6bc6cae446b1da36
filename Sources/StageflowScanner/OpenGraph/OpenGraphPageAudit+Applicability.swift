/// Which `open-graph` rules have something to check on a page, so the score counts only those.
extension OpenGraphPageAudit {
    /// The rules with nothing to check: without any Open Graph tag only `og-tags-missing` applies; the image
    /// rules need an og:image (the probe rules also need images to be checked), the value rules the
    /// properties they check, the Twitter rules a twitter:card.
    func inapplicable(checkedImages: Bool) -> [String] {
        var rules: [OpenGraphRule] = []
        if !metadata.hasOpenGraph {
            rules = OpenGraphRule.allCases.filter { $0 != .tagsMissing && !$0.id.hasPrefix("twitter") }
        } else {
            rules.append(.tagsMissing)
            if metadata.images.isEmpty {
                rules += [.imageInvalidURL, .imageUnreachable, .imageNotImage, .imageTooSmall, .imageTooLarge]
            } else if !checkedImages {
                rules += [.imageUnreachable, .imageNotImage, .imageTooSmall, .imageTooLarge]
            }
            if !metadata.hasValue("og:type") { rules.append(.typeInvalid) }
            if !metadata.hasValue("og:url") { rules.append(.urlInvalid) }
            if !Self.dateProperties.contains(where: metadata.hasValue) { rules.append(.dateInvalid) }
            if !Self.integerProperties.contains(where: metadata.hasValue) { rules.append(.valueInvalid) }
        }
        if !metadata.hasValue("twitter:card") { rules += [.twitterCardInvalid, .twitterCardIncomplete] }
        return rules.map(\.id)
    }
}
