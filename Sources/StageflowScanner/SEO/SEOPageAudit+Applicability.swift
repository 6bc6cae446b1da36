/// Which `seo` rules have something to check on a page, so the score counts only those.
extension SEOPageAudit {
    /// The rules with nothing to check: the title rules beyond `missing-title` without a title, the
    /// description rules without a description, canonical, hreflang and JSON-LD rules without those
    /// declarations, the image and link rules without images or links, the viewport and language rules
    /// without a viewport or lang.
    var inapplicable: [String] {
        var rules: [SEORule] = []
        if htmlElements(named: "title").isEmpty { rules += [.emptyTitle, .titleTooLong, .titleTooShort, .duplicateTitle] }
        if settings.minTitleLength == nil { rules.append(.titleTooShort) }
        if description == nil { rules += [.metaDescriptionTooLong, .duplicateMetaDescription] }
        let canonical = links(withRelation: "canonical").contains { $0.attribute("href") != nil }
            || headerLinks.contains { $0.relations.contains("canonical") }
        if !canonical { rules += [.canonicalCrossOrigin, .invalidCanonical] }
        let hreflang = links(withRelation: "alternate").contains { $0.attribute("hreflang") != nil }
            || headerLinks.contains { $0.relations.contains("alternate") && $0.parameters["hreflang"] != nil }
        if !hreflang { rules += [.invalidHreflang, .hreflangMissingSelf, .hreflangMissingXDefault] }
        if htmlElements(named: "img").isEmpty { rules.append(.imagesMissingAlt) }
        if htmlElements(named: "a").isEmpty { rules += [.nonDescriptiveLinkText, .uncrawlableLink] }
        let jsonLD = htmlElements(named: "script").contains {
            $0.attribute("type")?.trimmingCharacters(in: .whitespaces).lowercased() == "application/ld+json"
        }
        if !jsonLD { rules.append(.jsonLDParseError) }
        if !htmlElements(named: "meta").contains(where: { metaName(of: $0) == "viewport" }) { rules.append(.viewportZoomDisabled) }
        if (tree.root.attribute("lang") ?? tree.root.attribute("xml:lang"))?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            rules.append(.invalidLang)
        }
        var seen: Set<String> = []
        return rules.map(\.id).filter { seen.insert($0).inserted }
    }
}
