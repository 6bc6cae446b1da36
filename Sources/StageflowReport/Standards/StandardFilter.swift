/// Which accessibility findings a gate or a view counts: those failing a WCAG success criterion of a given
/// edition up to a level (`wcag22aa`, the default), or every finding (`all`, best practice included).
///
/// The filter applies to the Accessibility category only: findings of other categories (SEO, security
/// headers, links…) always count, since their references are not conformance levels.
public struct StandardFilter: Sendable, Hashable, CustomStringConvertible {
    /// What the filter keeps.
    public enum Scope: Sendable, Hashable {
        /// Every finding.
        case all
        /// Findings failing a criterion of WCAG `edition` (20, 21, 22) at `level` or below.
        case wcag(edition: Int, level: WCAGLevel)
    }

    /// What the filter keeps.
    public let scope: Scope

    /// A filter.
    public init(scope: Scope) {
        self.scope = scope
    }

    /// WCAG 2.2 level AA: the default for accessibility gating; best practice is reported but not gated.
    public static let wcag22aa = StandardFilter(scope: .wcag(edition: 22, level: .aa))

    /// Every finding.
    public static let all = StandardFilter(scope: .all)

    /// The names a filter is given by: `wcag2a` … `wcag22aaa` and `all`.
    public static let names: [String] =
        [20, 21, 22].flatMap { edition in WCAGLevel.allCases.map { "wcag\(editionName(edition))\($0.rawValue.lowercased())" } }
        + ["all"]

    /// Parses `wcag2a`, `wcag2aa`, `wcag2aaa`, `wcag21a` … `wcag22aaa` or `all`, case-insensitively.
    public init?(name: String) {
        let text = name.lowercased()
        if text == "all" {
            scope = .all
            return
        }
        for edition in [22, 21, 20] {
            let prefix = "wcag\(Self.editionName(edition))"
            guard text.hasPrefix(prefix), let level = WCAGLevel(rawValue: String(text.dropFirst(prefix.count)).uppercased())
            else { continue }
            scope = .wcag(edition: edition, level: level)
            return
        }
        return nil
    }

    /// The filter's name, as `init(name:)` reads it.
    public var description: String {
        switch scope {
        case .all: return "all"
        case .wcag(let edition, let level): return "wcag\(Self.editionName(edition))\(level.rawValue.lowercased())"
        }
    }

    /// `WCAG 2.2 AA`, `all standards`.
    public var displayName: String {
        switch scope {
        case .all: return "all standards"
        case .wcag(let edition, let level):
            return "WCAG \(edition == 20 ? "2.0" : edition == 21 ? "2.1" : "2.2") \(level.rawValue)"
        }
    }

    /// Whether a finding with these references and this category counts.
    public func includes(category: ReportCategory, standards: [StandardReference]) -> Bool {
        guard category == .accessibility else { return true }
        switch scope {
        case .all:
            return true
        case .wcag(let edition, let level):
            return standards.contains { reference in
                guard reference.kind == .wcag, let id = reference.id, let criterion = WCAGCriterion.named(id) else { return false }
                return criterion.level <= level && criterion.isPart(ofEdition: edition)
            }
        }
    }

    /// Whether an issue counts.
    public func includes(_ issue: Issue) -> Bool {
        includes(category: issue.category, standards: issue.standards)
    }

    private static func editionName(_ edition: Int) -> String { edition == 20 ? "2" : String(edition) }
}
