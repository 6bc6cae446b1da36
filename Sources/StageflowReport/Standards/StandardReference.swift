/// A reference a rule checks: a WCAG success criterion with its level, accessibility best practice, a section
/// of the HTML standard or the Open Graph protocol, an HTTP Observatory test, an RFC.
///
/// Every issue of a report carries the references of its rule, so a reader sees which requirement a finding
/// stands on and a gate can filter by standard (``StandardFilter``).
public struct StandardReference: Codable, Sendable, Hashable {
    /// Which kind of standard.
    public var kind: StandardKind
    /// The item within it: the success criterion (`1.1.1`), the section or test id, the RFC number.
    public var id: String?
    /// The WCAG conformance level, for success criteria.
    public var level: WCAGLevel?
    /// What the item is called (`Non-text Content`, `The title element`).
    public var title: String
    /// Where to read it.
    public var url: String?

    /// A reference.
    public init(kind: StandardKind, id: String? = nil, level: WCAGLevel? = nil, title: String, url: String? = nil) {
        self.kind = kind
        self.id = id
        self.level = level
        self.title = title
        self.url = url
    }

    /// The name shown next to a finding: `WCAG 2.2 SC 1.1.1 Non-text Content (A)`, `Best practice`,
    /// `HTML: The title element`, `RFC 6797: HTTP Strict Transport Security`.
    public var label: String {
        switch kind {
        case .wcag:
            let criterion = id.flatMap(WCAGCriterion.named)
            let edition = criterion?.isObsoleteIn22 == true ? "WCAG 2.1" : "WCAG 2.2"
            return "\(edition) SC \(id ?? "?") \(title)" + (level.map { " (\($0.rawValue))" } ?? "")
        case .bestPractice: return title == StandardKind.bestPractice.title ? title : "Best practice: \(title)"
        case .rfc: return "RFC \(id ?? "?"): \(title)"
        case .html, .openGraph, .observatory, .other: return "\(kind.title): \(title)"
        }
    }

    /// A short form for tables and badges: `WCAG 1.1.1 A`, `best practice`, `RFC 6797`, the title otherwise.
    public var shortLabel: String {
        switch kind {
        case .wcag: return "WCAG \(id ?? "?")" + (level.map { " \($0.rawValue)" } ?? "")
        case .bestPractice: return "best practice"
        case .rfc: return "RFC \(id ?? "?")"
        case .observatory: return "Observatory \(id ?? title)"
        case .html, .openGraph, .other: return title
        }
    }

    /// A WCAG 2.2 success criterion (`1.4.3`) from the table of criteria; `nil` for an unknown number.
    public static func wcag(_ criterion: String) -> StandardReference? {
        guard let known = WCAGCriterion.named(criterion) else { return nil }
        return StandardReference(kind: .wcag, id: known.id, level: known.level, title: known.title, url: known.url)
    }

    /// Accessibility best practice: advice beyond WCAG's success criteria.
    public static let bestPractice = StandardReference(kind: .bestPractice, title: StandardKind.bestPractice.title)

    /// A section of the WHATWG HTML standard, by its anchor in the multipage edition.
    public static func html(_ anchor: String, page: String, title: String) -> StandardReference {
        StandardReference(
            kind: .html, id: anchor, title: title, url: "https://html.spec.whatwg.org/multipage/\(page).html#\(anchor)")
    }

    /// A section of the Open Graph protocol (`https://ogp.me/`).
    public static func openGraph(_ anchor: String, title: String) -> StandardReference {
        StandardReference(kind: .openGraph, id: anchor, title: title, url: "https://ogp.me/#\(anchor)")
    }

    /// An HTTP Observatory test, by the id the Observatory reports it under.
    public static func observatory(_ test: String, title: String, url: String?) -> StandardReference {
        StandardReference(kind: .observatory, id: test, title: title, url: url)
    }

    /// An RFC, optionally one of its sections (`"6797"`, section `"6.1"`).
    public static func rfc(_ number: Int, title: String, section: String? = nil) -> StandardReference {
        let anchor = section.map { "#section-\($0)" } ?? ""
        return StandardReference(
            kind: .rfc, id: section.map { "\(number) §\($0)" } ?? String(number), title: title,
            url: "https://www.rfc-editor.org/rfc/rfc\(number)\(anchor)")
    }

    /// The references that axe-style tags name: each WCAG success-criterion tag (`wcag111`, `wcag1410`) is
    /// its criterion from the WCAG 2.2 table; `best-practice` is best practice. Level tags (`wcag2aa`) and
    /// other tags add nothing; a criterion is listed once.
    public static func fromTags(_ tags: [String]) -> [StandardReference] {
        var references: [StandardReference] = []
        var seen: Set<String> = []
        for tag in tags {
            let lowered = tag.lowercased()
            if lowered == "best-practice" {
                if seen.insert("best-practice").inserted { references.append(.bestPractice) }
                continue
            }
            guard lowered.hasPrefix("wcag") else { continue }
            let digits = lowered.dropFirst(4)
            guard digits.count >= 3, digits.allSatisfy(\.isNumber), let criterion = WCAGCriterion.fromTagDigits(String(digits)),
                seen.insert(criterion.id).inserted
            else { continue }
            references.append(StandardReference(kind: .wcag, id: criterion.id, level: criterion.level, title: criterion.title, url: criterion.url))
        }
        return references.sorted { ($0.kind.order, $0.id ?? "") < ($1.kind.order, $1.id ?? "") }
    }
}

/// The kinds of standard a rule can check.
public enum StandardKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A WCAG success criterion.
    case wcag
    /// Accessibility advice beyond WCAG.
    case bestPractice = "best-practice"
    /// The WHATWG HTML standard.
    case html
    /// The Open Graph protocol.
    case openGraph = "open-graph"
    /// A test of the Mozilla HTTP Observatory.
    case observatory
    /// An IETF RFC.
    case rfc
    /// Anything else (a vendor's documentation, a dictionary).
    case other

    /// The name shown.
    public var title: String {
        switch self {
        case .wcag: return "WCAG"
        case .bestPractice: return "Best practice"
        case .html: return "HTML"
        case .openGraph: return "Open Graph"
        case .observatory: return "HTTP Observatory"
        case .rfc: return "RFC"
        case .other: return "Reference"
        }
    }

    var order: Int { Self.allCases.firstIndex(of: self)! }
}

/// WCAG conformance levels.
public enum WCAGLevel: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// Level A.
    case a = "A"
    /// Level AA.
    case aa = "AA"
    /// Level AAA.
    case aaa = "AAA"

    var rank: Int {
        switch self {
        case .a: return 1
        case .aa: return 2
        case .aaa: return 3
        }
    }

    /// A before AA before AAA.
    public static func < (lhs: WCAGLevel, rhs: WCAGLevel) -> Bool { lhs.rank < rhs.rank }
}
