/// The categories a report scores, each from the rules (or, for Performance, the metrics) of the scanners
/// that belong to it (see `docs/scoring.md`).
public enum ReportCategory: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// WCAG and accessibility best practice (`axe`).
    case accessibility
    /// Lab metrics on Lighthouse's curves (`performance`).
    case performance
    /// Search-engine facts of each page (`seo`).
    case seo
    /// Security headers, as the HTTP Observatory grades them (`security-headers`).
    case security
    /// Broken links and resources, redirects, missing anchors (`link-checker`).
    case links
    /// Spelling of the visible prose (`spelling`).
    case content
    /// Open Graph and Twitter card tags (`open-graph`).
    case social
    /// Rules of scanners that name no category.
    case other

    /// The name shown in reports.
    public var title: String {
        switch self {
        case .accessibility: return "Accessibility"
        case .performance: return "Performance"
        case .seo: return "SEO"
        case .security: return "Security"
        case .links: return "Links"
        case .content: return "Content"
        case .social: return "Social"
        case .other: return "Other"
        }
    }

    /// The category's weight in the overall score, a weighted mean of the categories that have a score.
    public var weight: Double {
        switch self {
        case .accessibility, .performance: return 3
        case .seo, .security, .links: return 2
        case .content, .social, .other: return 1
        }
    }

    /// The category of a built-in scanner's rules, by scanner id; `other` for scanners this table does not know.
    public static func defaultCategory(ofScanner scanner: String) -> ReportCategory {
        switch scanner {
        case "axe": return .accessibility
        case "performance": return .performance
        case "seo": return .seo
        case "security-headers": return .security
        case "link-checker": return .links
        case "spelling": return .content
        case "open-graph": return .social
        default: return .other
        }
    }

    /// Categories in the order reports list them.
    public static func < (lhs: ReportCategory, rhs: ReportCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
