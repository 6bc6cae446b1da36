import StageflowAPI
import StageflowReport

/// What `AxeRunScript` returns, decoded, and how it becomes findings: one finding per rule and node; violations
/// carry the node's impact as raw severity, incomplete results ("needs review") carry `review-<impact>`, which
/// the manifest maps one step or more lower.
struct AxeResults: Decodable, Sendable {
    struct Rule: Decodable, Sendable {
        var id: String
        var impact: String?
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

    /// The findings on page `url`.
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

    private static func finding(_ rule: Rule, _ node: Node, url: String, review: Bool) -> ScannerFinding {
        let impact = node.impact ?? rule.impact ?? "moderate"
        let raw = review ? "review-\(impact)" : impact
        let summary = node.failureSummary.map { "\n" + $0 } ?? ""
        return ScannerFinding(
            ruleId: rule.id, title: review ? "Needs review: \(rule.help)" : rule.help,
            message: rule.description + summary, severity: Severity(rawValue: impact) ?? .moderate, severityRaw: raw,
            url: url, selector: selector(node.target), html: node.html.map { String($0.prefix(500)) },
            boundingBox: node.box.flatMap { box in
                box.width > 0 || box.height > 0 ? BoundingBox(x: box.x, y: box.y, width: box.width, height: box.height) : nil
            },
            wcagTags: rule.tags.filter { $0.hasPrefix("wcag") || $0.hasPrefix("best-practice") || $0.hasPrefix("section508") },
            howToFix: node.failureSummary ?? rule.help, helpUrl: rule.helpUrl)
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
