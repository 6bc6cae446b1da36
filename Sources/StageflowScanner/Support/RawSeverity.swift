import StageflowAPI

/// The severity words the built-in page scanners (`seo`, `open-graph`) write as a finding's `severityRaw`,
/// with the severity each has unless the manifest's `severityMapping` says otherwise.
enum RawSeverity: String, Sendable, Hashable {
    /// Breaks the page for search engines or sharing.
    case error
    /// Hurts how the page is found or shown.
    case warning
    /// Worth fixing, low impact.
    case notice
    /// For information.
    case info

    /// The severity the shipped manifests map the word to.
    var severity: Severity {
        switch self {
        case .error: return .serious
        case .warning: return .moderate
        case .notice: return .minor
        case .info: return .info
        }
    }
}
