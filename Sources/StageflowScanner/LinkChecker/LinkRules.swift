import StageflowAPI
import StageflowReport

/// The `link-checker` rules as the scanner declares them for the score, and which of them a page's
/// references give something to check.
enum LinkRules {
    /// Every rule: id, title, impact (its most severe grade: a broken reference on the page's own origin).
    static let all: [(id: String, title: String, severity: Severity)] = [
        ("broken-link", "Broken link", .serious),
        ("broken-image", "Broken image", .serious),
        ("broken-resource", "Broken resource", .serious),
        ("redirect-loop", "Redirect loop", .serious),
        ("too-many-redirects", "Too many redirects", .serious),
        ("timeout", "Link target did not answer in time", .moderate),
        ("missing-anchor", "Link to a missing anchor", .moderate),
        ("redirect", "Link goes through a redirect", .minor),
        ("blocked-link", "Link target not checked (blocked)", .info),
    ]

    /// The rules, declared.
    static var descriptors: [RuleDescriptor] {
        all.map { rule in
            RuleDescriptor(id: rule.id, title: rule.title, severity: rule.severity, category: .links, standards: standards(of: rule.id))
        }
    }

    /// What a rule checks against: HTTP's status codes and redirection, or HTML's fragment navigation.
    static func standards(of rule: String) -> [StandardReference] {
        switch rule {
        case "missing-anchor":
            return [.html("scroll-to-the-fragment-identifier", page: "browsing-the-web", title: "Navigating to a fragment")]
        case "redirect", "redirect-loop", "too-many-redirects":
            return [.rfc(9110, title: "HTTP Semantics: redirection", section: "15.4")]
        case "blocked-link":
            return [StandardReference(kind: .other, id: "target-policy", title: "The scan's target policy")]
        default:
            return [.rfc(9110, title: "HTTP Semantics: status codes", section: "15")]
        }
    }

    /// The rules a page's checked references give something to check: the broken rule of each kind of
    /// reference it has, the redirect and reachability rules when it has any, the anchor rule when a link
    /// names a fragment to check.
    static func checked(by references: [LinkReference], checkFragments: Bool) -> [String] {
        guard !references.isEmpty else { return [] }
        var rules = Set(["redirect", "redirect-loop", "too-many-redirects", "timeout", "blocked-link"])
        for reference in references {
            rules.insert(LinkFindings.brokenRule(reference.kind).rule)
            if checkFragments, reference.kind == .link, LinkFindings.checkableFragment(reference.target.fragment) != nil {
                rules.insert("missing-anchor")
            }
        }
        return rules.sorted()
    }
}
