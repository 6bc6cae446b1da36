import StageflowReport

/// The rules of the `seo` scanner: each one's id (as the report's equivalence table names it), short title,
/// raw severity and the fix.
enum SEORule: String, CaseIterable, Sendable, MarkupRule {
    case missingTitle = "missing-title"
    case emptyTitle = "empty-title"
    case titleTooLong = "title-too-long"
    case titleTooShort = "title-too-short"
    case duplicateTitle = "duplicate-title"
    case missingMetaDescription = "missing-meta-description"
    case metaDescriptionTooLong = "meta-description-too-long"
    case duplicateMetaDescription = "duplicate-meta-description"
    case missingH1 = "missing-h1"
    case multipleH1 = "multiple-h1"
    case headingHierarchy = "heading-hierarchy"
    case missingCanonical = "missing-canonical"
    case canonicalCrossOrigin = "canonical-cross-origin"
    case invalidCanonical = "invalid-canonical"
    case noindex = "noindex"
    case invalidHreflang = "invalid-hreflang"
    case hreflangMissingSelf = "hreflang-missing-self-reference"
    case hreflangMissingXDefault = "hreflang-missing-x-default"
    case imagesMissingAlt = "images-missing-alt"
    case nonDescriptiveLinkText = "non-descriptive-link-text"
    case uncrawlableLink = "uncrawlable-link"
    case jsonLDParseError = "json-ld-parse-error"
    case missingLang = "missing-lang"
    case invalidLang = "invalid-lang"
    case missingViewport = "missing-viewport"
    case viewportZoomDisabled = "viewport-zoom-disabled"
    case httpStatusError = "http-status-error"

    /// The raw severity word (`severityRaw`).
    var rawSeverity: RawSeverity {
        switch self {
        case .missingTitle, .emptyTitle, .invalidCanonical, .noindex, .imagesMissingAlt, .jsonLDParseError,
            .httpStatusError:
            return .error
        case .duplicateTitle, .missingMetaDescription, .duplicateMetaDescription, .missingH1, .canonicalCrossOrigin,
            .invalidHreflang, .missingLang, .invalidLang, .missingViewport, .viewportZoomDisabled:
            return .warning
        case .titleTooLong, .titleTooShort, .metaDescriptionTooLong, .multipleH1, .headingHierarchy,
            .missingCanonical, .hreflangMissingSelf, .nonDescriptiveLinkText, .uncrawlableLink:
            return .notice
        case .hreflangMissingXDefault:
            return .info
        }
    }

    /// A short name of the rule.
    var title: String {
        switch self {
        case .missingTitle: return "Page has no title"
        case .emptyTitle: return "Page title is empty"
        case .titleTooLong: return "Page title is too long"
        case .titleTooShort: return "Page title is too short"
        case .duplicateTitle: return "Page title is shared with other pages"
        case .missingMetaDescription: return "Page has no meta description"
        case .metaDescriptionTooLong: return "Meta description is too long"
        case .duplicateMetaDescription: return "Meta description is shared with other pages"
        case .missingH1: return "Page has no h1 heading"
        case .multipleH1: return "Page has more than one h1 heading"
        case .headingHierarchy: return "Heading skips a level"
        case .missingCanonical: return "Page has no canonical URL"
        case .canonicalCrossOrigin: return "Canonical URL is on another origin"
        case .invalidCanonical: return "Canonical URL is invalid or conflicting"
        case .noindex: return "Page is blocked from indexing"
        case .invalidHreflang: return "hreflang link is invalid"
        case .hreflangMissingSelf: return "hreflang links do not include the page itself"
        case .hreflangMissingXDefault: return "hreflang links have no x-default"
        case .imagesMissingAlt: return "Image has no alt attribute"
        case .nonDescriptiveLinkText: return "Link text does not describe the target"
        case .uncrawlableLink: return "Link cannot be followed by crawlers"
        case .jsonLDParseError: return "JSON-LD block is not valid JSON"
        case .missingLang: return "html element has no lang attribute"
        case .invalidLang: return "html element's lang is not a valid language tag"
        case .missingViewport: return "Page has no viewport meta tag"
        case .viewportZoomDisabled: return "Viewport disables zooming"
        case .httpStatusError: return "Page answers with an HTTP error status"
        }
    }

    /// Its report category.
    static let category = ReportCategory.seo

    /// The references the rule checks.
    var standards: [StandardReference] {
        switch self {
        case .missingTitle, .emptyTitle, .titleTooLong, .titleTooShort, .duplicateTitle:
            return [.html("the-title-element", page: "semantics", title: "The title element")]
        case .missingMetaDescription, .metaDescriptionTooLong, .duplicateMetaDescription:
            return [.html("meta-description", page: "semantics", title: "Standard metadata name description")]
        case .missingH1, .multipleH1, .headingHierarchy:
            return [.html("the-h1,-h2,-h3,-h4,-h5,-and-h6-elements", page: "sections", title: "The h1–h6 elements")]
        case .missingCanonical, .canonicalCrossOrigin, .invalidCanonical:
            return [.rfc(6596, title: "The Canonical Link Relation")]
        case .noindex:
            return [Self.google("Robots meta tag", "crawling-indexing/robots-meta-tag")]
        case .invalidHreflang:
            return [Self.google("Localized versions of pages (hreflang)", "specialty/international/localized-versions"),
                    .rfc(5646, title: "Tags for Identifying Languages (BCP 47)")]
        case .hreflangMissingSelf, .hreflangMissingXDefault:
            return [Self.google("Localized versions of pages (hreflang)", "specialty/international/localized-versions")]
        case .imagesMissingAlt:
            return [.html("attr-img-alt", page: "embedded-content", title: "The img element's alt attribute")]
        case .nonDescriptiveLinkText, .uncrawlableLink:
            return [Self.google("Crawlable links and anchor text", "crawling-indexing/links-crawlable")]
        case .jsonLDParseError:
            return [StandardReference(kind: .other, id: "json-ld11", title: "JSON-LD 1.1 (W3C)", url: "https://www.w3.org/TR/json-ld11/")]
        case .missingLang:
            return [.html("attr-lang", page: "dom", title: "The lang attribute")]
        case .invalidLang:
            return [.html("attr-lang", page: "dom", title: "The lang attribute"), .rfc(5646, title: "Tags for Identifying Languages (BCP 47)")]
        case .missingViewport, .viewportZoomDisabled:
            return [
                StandardReference(
                    kind: .other, id: "css-viewport", title: "CSS Viewport Module: the viewport meta element",
                    url: "https://drafts.csswg.org/css-viewport/#viewport-meta")
            ]
        case .httpStatusError:
            return [.rfc(9110, title: "HTTP Semantics: status codes", section: "15")]
        }
    }

    private static func google(_ title: String, _ path: String) -> StandardReference {
        StandardReference(
            kind: .other, id: "google-search-central", title: "Google Search Central: \(title)",
            url: "https://developers.google.com/search/docs/\(path)")
    }

    /// How to fix it.
    var howToFix: String {
        switch self {
        case .missingTitle, .emptyTitle:
            return "Add a <title> in <head> that names the page's content in a few words."
        case .titleTooLong:
            return "Shorten the title so search results show it whole; put the distinctive words first."
        case .titleTooShort:
            return "Make the title describe the page's content in a few more words."
        case .duplicateTitle:
            return "Give every page a title of its own that says what distinguishes it."
        case .missingMetaDescription:
            return "Add <meta name=\"description\" content=\"…\"> summarising the page in one or two sentences."
        case .metaDescriptionTooLong:
            return "Shorten the description; search results cut it off."
        case .duplicateMetaDescription:
            return "Write a description for each page that summarises that page, not the site."
        case .missingH1:
            return "Give the page one <h1> that states its main topic."
        case .multipleH1:
            return "Keep one <h1> for the page's main topic and make the others h2 or lower."
        case .headingHierarchy:
            return "Use heading levels in order (h2 under h1, h3 under h2); style headings with CSS, not by level."
        case .missingCanonical:
            return "Add <link rel=\"canonical\" href=\"…\"> with the page's preferred absolute URL."
        case .canonicalCrossOrigin:
            return "Point the canonical link at this site's own URL for the page, unless the content is syndicated "
                + "on purpose (and, for a staging build, check that the production domain is intended)."
        case .invalidCanonical:
            return "Declare exactly one absolute canonical URL, the same in the markup and the Link header."
        case .noindex:
            return "Remove noindex from the robots meta tag and the X-Robots-Tag header if the page should be found."
        case .invalidHreflang:
            return "Use a language code (ISO 639-1), optionally with a region (ISO 3166-1, e.g. en-GB), or x-default, "
                + "and an absolute URL."
        case .hreflangMissingSelf:
            return "List the page itself among its hreflang alternates."
        case .hreflangMissingXDefault:
            return "Add <link rel=\"alternate\" hreflang=\"x-default\" href=\"…\"> for visitors of other languages."
        case .imagesMissingAlt:
            return "Add an alt attribute that says what the image shows, or alt=\"\" if it is decorative."
        case .nonDescriptiveLinkText:
            return "Write link text that says where the link goes (\"the serializer guide\", not \"click here\")."
        case .uncrawlableLink:
            return "Give the link a real href to the target URL; use a <button> for actions that are not navigation."
        case .jsonLDParseError:
            return "Fix the JSON syntax of the structured data block (validate it with a JSON-LD or schema.org tool)."
        case .missingLang:
            return "Add a lang attribute to <html> with the page's language (lang=\"en\")."
        case .invalidLang:
            return "Use a valid BCP 47 language tag in <html lang> (en, en-GB, pt-BR)."
        case .missingViewport:
            return "Add <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">."
        case .viewportZoomDisabled:
            return "Remove user-scalable=no and any maximum-scale below 2 from the viewport meta tag."
        case .httpStatusError:
            return "Serve the page with a 2xx status, or remove links to it."
        }
    }
}
