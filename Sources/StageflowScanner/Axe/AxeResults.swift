import StageflowAPI
import StageflowReport

/// What `AxeRunScript` returns, decoded, and how it becomes outcomes: one finding per rule and node —
/// violations as violations, incomplete results as items that need review, both with the node's impact as
/// severity and the rule's WCAG success criteria (or best practice) as standards — and per page the rules
/// that passed and those that did not apply, with every rule's impact for the score.
struct AxeResults: Decodable, Sendable {
    struct Rule: Decodable, Sendable {
        var id: String
        var impact: String?
        /// The impact axe declares for the rule, whatever its nodes on this page.
        var declaredImpact: String?
        var help: String
        var description: String
        var helpUrl: String?
        var tags: [String]
        var nodes: [Node]
    }

    struct Node: Decodable, Sendable {
        var target: [JSONValue]
        var html: String?
        var impact: String?
        var failureSummary: String?
        var box: Box?
    }

    struct Box: Decodable, Sendable {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
    }

    var version: String?
    var violations: [Rule]
    var incomplete: [Rule]
    var passes: [Rule]?
    var inapplicable: [Rule]?

    /// The findings on page `url`; items that need review only when `includeIncomplete`.
    func findings(url: String, includeIncomplete: Bool) -> [ScannerFinding] {
        var findings: [ScannerFinding] = []
        for rule in violations {
            for node in rule.nodes { findings.append(Self.finding(rule, node, url: url, review: false)) }
        }
        if includeIncomplete {
            for rule in incomplete {
                for node in rule.nodes { findings.append(Self.finding(rule, node, url: url, review: true)) }
            }
        }
        return findings
    }

    /// The rules that passed on the page (a rule axe reports both passing and failing on counts as violated).
    var passedRules: [String] { (passes ?? []).map(\.id) }

    /// The rules that found nothing to check on the page.
    var inapplicableRules: [String] { (inapplicable ?? []).map(\.id) }

    /// Every rule axe ran on the page, with its impact, WCAG criteria and documentation.
    var ruleDescriptors: [RuleDescriptor] {
        var seen: Set<String> = []
        var descriptors: [RuleDescriptor] = []
        for rule in violations + incomplete + (passes ?? []) + (inapplicable ?? []) where seen.insert(rule.id).inserted {
            descriptors.append(
                RuleDescriptor(
                    id: rule.id, title: rule.help, severity: (rule.declaredImpact ?? rule.impact).flatMap(Severity.init(rawValue:)) ?? .moderate,
                    category: .accessibility, standards: StandardReference.fromTags(rule.tags), helpUrl: rule.helpUrl))
        }
        return descriptors
    }

    private static func finding(_ rule: Rule, _ node: Node, url: String, review: Bool) -> ScannerFinding {
        let impact = node.impact ?? rule.impact ?? "moderate"
        let summary = node.failureSummary.map { "\n" + $0 } ?? ""
        return ScannerFinding(
            ruleId: rule.id, title: rule.help, message: rule.description + summary,
            severity: Severity(rawValue: impact) ?? .moderate, severityRaw: impact,
            url: url, selector: selector(node.target), html: node.html.map { String($0.prefix(500)) },
            boundingBox: node.box.flatMap { box in
                box.width > 0 || box.height > 0 ? BoundingBox(x: box.x, y: box.y, width: box.width, height: box.height) : nil
            },
            wcagTags: rule.tags.filter { $0.hasPrefix("wcag") || $0.hasPrefix("best-practice") || $0.hasPrefix("section508") },
            howToFix: node.failureSummary ?? rule.help, helpUrl: rule.helpUrl, outcome: review ? .needsReview : .violation,
            standards: StandardReference.fromTags(rule.tags), category: .accessibility)
    }

    /// axe's target as one selector: frame levels (and shadow roots, which axe nests as arrays) joined by
    /// ` >>> `, the notation of selectors that pierce into frames.
    static func selector(_ target: [JSONValue]) -> String {
        target.map { part -> String in
            if let text = part.stringValue { return text }
            return (part.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " >>> ")
        }.joined(separator: " >>> ")
    }
}
