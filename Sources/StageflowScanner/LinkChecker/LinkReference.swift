import Foundation

/// One reference on a page to another resource: the element, the attribute value as written, and where it
/// resolves to.
struct LinkReference: Sendable, Hashable {
    /// How a reference is used, which decides the rule a broken one is reported under.
    enum Kind: String, Sendable, Hashable {
        /// `<a href>`, `<area href>`: a link a person follows.
        case link
        /// `<img src|srcset>`, `<source srcset>`: an image.
        case image
        /// `<script src>`, `<link href>`, `<iframe src>`, `<source src>`: something the page loads.
        case resource
    }

    /// The page the reference is on, as navigated.
    var page: String
    /// The element name.
    var element: String
    /// The attribute holding the reference.
    var attribute: String
    /// The attribute's value (for `srcset`, the one candidate URL).
    var value: String
    /// The start tag as written, for the finding's snippet.
    var html: String
    /// Where it points, with its fragment.
    var target: WebAddress
    /// Link, image or resource.
    var kind: Kind
    /// On the page's own origin.
    var isInternal: Bool

    /// A CSS selector naming the element by the attribute, distinct for each distinct reference on a page:
    /// `a[href="../guide/#install"]`.
    var selector: String {
        let escaped = value.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\\": "\\\\"
            case "\"": "\\\""
            case "\n": "\\a "
            default: String(scalar)
            }
        }.joined()
        let attributeSelector = attribute == "srcset" ? "\(attribute)*=" : "\(attribute)="
        return "\(element)[\(attributeSelector)\"\(escaped)\"]"
    }

    /// The schemes a page may reference that are not fetched: they open mail clients, run script, embed data.
    static let skippedSchemes: Set<String> = [
        "mailto", "javascript", "data", "tel", "sms", "callto", "blob", "about", "file", "ftp", "irc", "news",
        "geo", "magnet", "whatsapp", "skype", "fax", "urn", "chrome", "intent", "webcal",
    ]

    /// `<link rel>` values that name origins to connect to early, not resources.
    static let originOnlyRelations: Set<String> = ["preconnect", "dns-prefetch"]

    /// The references of a crawled page, in document order, one per distinct element, attribute and value.
    static func references(of page: CrawledPage) -> [LinkReference] {
        guard let document = page.document, let base = page.baseURL else { return [] }
        let origin = (page.fetch?.final ?? base).origin
        var seen = Set<String>()
        var references: [LinkReference] = []
        func add(_ tag: HTMLTag, _ attribute: String, _ value: String, _ kind: Kind) {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if let scheme = WebAddress.scheme(of: trimmed), scheme != "http", scheme != "https" { return }
            guard let target = WebAddress.resolve(trimmed, against: base.url) else { return }
            let reference = LinkReference(
                page: page.url, element: tag.name, attribute: attribute, value: value, html: snippet(tag.source),
                target: target, kind: kind, isInternal: target.origin == origin)
            if seen.insert(reference.selector).inserted { references.append(reference) }
        }
        for tag in document.tags {
            switch tag.name {
            case "a", "area":
                if let href = tag.attribute("href") { add(tag, "href", href, .link) }
            case "img":
                if let source = tag.attribute("src"), !source.isEmpty { add(tag, "src", source, .image) }
                for candidate in srcsetCandidates(tag.attribute("srcset")) { add(tag, "srcset", candidate, .image) }
            case "source":
                if let source = tag.attribute("src"), !source.isEmpty { add(tag, "src", source, .resource) }
                for candidate in srcsetCandidates(tag.attribute("srcset")) { add(tag, "srcset", candidate, .image) }
            case "script", "iframe":
                if let source = tag.attribute("src"), !source.isEmpty { add(tag, "src", source, .resource) }
            case "link":
                let relations = Set((tag.attribute("rel") ?? "").lowercased().split(whereSeparator: \.isWhitespace).map(String.init))
                guard relations.isDisjoint(with: originOnlyRelations), let href = tag.attribute("href"), !href.isEmpty else {
                    continue
                }
                add(tag, "href", href, .resource)
            default:
                continue
            }
        }
        return references
    }

    /// The URLs of a `srcset` (each candidate's first word).
    static func srcsetCandidates(_ srcset: String?) -> [String] {
        guard let srcset else { return [] }
        return srcset.split(separator: ",").compactMap { candidate in
            candidate.split(whereSeparator: \.isWhitespace).first.map(String.init)
        }
    }

    /// The start tag, shortened to 300 characters.
    static func snippet(_ source: String) -> String {
        source.count > 300 ? String(source.prefix(299)) + "…" : source
    }
}
