import Foundation
import StageflowAPI

/// Renders a report as a SARIF 2.1.0 log, for code-scanning dashboards.
///
/// One run whose driver is Stageflow; one rule per scanner rule, with id `scanner/ruleId` (two scanners may
/// use the same rule id for different checks), its title, help link and tags (the scanner, the category, the
/// canonical rule, the standards it checks, WCAG tags); one result per issue — one rule on one page — with
/// the level mapped from severity (critical and serious → `error`, moderate → `warning`, minor and info →
/// `note`), located by the page URL (`physicalLocation.artifactLocation.uri`) and its elements' selectors
/// (`logicalLocations[].fullyQualifiedName`, kind `element`), its fingerprint in
/// `partialFingerprints["stageflow/v1"]` and, when the report has a diff, `baselineState` `new` (an element
/// is new) or `unchanged`. Items that need review are results of `kind` `review`; SARIF 2.1.0 (§3.27.10)
/// requires their `level` to be `none`, so their severity is in `properties.severity`. Scanner failures are
/// tool execution notifications; the run's properties carry the score, each category's score and whether
/// the score is partial.
public struct SARIFRenderer: Sendable {
    /// The version written as the driver's version.
    public var toolVersion: String
    /// At most this many locations per result (one per occurrence).
    public var maxLocationsPerResult: Int

    /// A renderer.
    public init(toolVersion: String = "0.1.0", maxLocationsPerResult: Int = 10) {
        self.toolVersion = toolVersion
        self.maxLocationsPerResult = maxLocationsPerResult
    }

    /// The SARIF log as JSON.
    public func render(_ report: Report) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(log(for: report))
    }

    /// The SARIF level of a severity.
    public static func level(for severity: Severity) -> String {
        switch severity {
        case .critical, .serious: return "error"
        case .moderate: return "warning"
        case .minor, .info: return "note"
        }
    }

    private func log(for report: Report) -> Log {
        var rules: [Rule] = []
        var ruleIndex: [String: Int] = [:]
        var results: [Result] = []
        results.reserveCapacity(report.issues.count)

        let newElements = report.diff.map { Set($0.new) }
        for issue in report.issues + report.needsReview {
            let review = issue.outcome == .needsReview
            let qualified = "\(issue.scanner)/\(issue.ruleId)"
            let index: Int
            if let known = ruleIndex[qualified] {
                index = known
                if issue.severity > rules[index].severity {
                    rules[index].severity = issue.severity
                    rules[index].defaultConfiguration.level = Self.level(for: issue.severity)
                }
            } else {
                index = rules.count
                ruleIndex[qualified] = index
                var tags = [issue.scanner, issue.category.rawValue]
                if let canonical = issue.canonicalRule { tags.append(canonical) }
                tags.append(contentsOf: issue.standards.map(\.shortLabel))
                tags.append(contentsOf: issue.wcagTags)
                var seen: Set<String> = []
                tags = tags.filter { seen.insert($0).inserted }
                rules.append(
                    Rule(
                        id: qualified, name: issue.ruleId, shortDescription: Message(text: issue.title),
                        helpUri: issue.helpUrl, help: issue.howToFix.map { Message(text: $0) },
                        defaultConfiguration: Configuration(level: Self.level(for: issue.severity)),
                        properties: RuleProperties(tags: tags),
                        severity: issue.severity
                    )
                )
            }
            var locations = issue.occurrences.prefix(maxLocationsPerResult).map { location(issue.url, $0.selector) }
            if locations.isEmpty { locations = [location(issue.url, nil)] }
            var baselineState: String?
            if !review, let diff = report.diff, let newElements {
                baselineState = diff.isNew(issue, among: newElements) ? "new" : "unchanged"
            }
            results.append(
                Result(
                    ruleId: qualified, ruleIndex: index, kind: review ? "review" : nil,
                    level: review ? "none" : Self.level(for: issue.severity),
                    message: Message(text: (review ? "Needs review: " : "") + (issue.message.isEmpty ? issue.title : issue.message)),
                    locations: locations, partialFingerprints: ["stageflow/v1": issue.id], baselineState: baselineState,
                    properties: ResultProperties(
                        severity: issue.severity.rawValue, scanner: issue.scanner, pageId: issue.pageId,
                        category: issue.category.rawValue, standards: issue.standards.isEmpty ? nil : issue.standards.map(\.label),
                        elements: issue.occurrences.count, elementIds: issue.elementIds,
                        alsoDetectedBy: issue.alsoDetectedBy.isEmpty ? nil : issue.alsoDetectedBy
                    )
                )
            )
        }

        let notifications = report.errors.filter { $0.kind == .scanner }.map { error in
            Notification(
                level: "error", message: Message(text: "\(error.scanner ?? "scanner"): \(error.message)"),
                descriptor: error.scanner.map { Reference(id: $0) }
            )
        }
        let run = Run(
            tool: Tool(driver: Driver(name: "Stageflow", version: toolVersion, rules: rules)),
            automationDetails: AutomationDetails(id: "stageflow/\(report.meta.jobId)"),
            invocations: [Invocation(executionSuccessful: report.status != .failed, toolExecutionNotifications: notifications)],
            results: results,
            properties: RunProperties(
                score: report.summary.score, grade: report.summary.grade, partial: report.summary.partial,
                scoreNote: report.summary.scoreNote,
                categories: Dictionary(
                    report.summary.categories.compactMap { category in category.score.map { (category.id.rawValue, $0) } },
                    uniquingKeysWith: { first, _ in first }),
                baseUrl: report.meta.baseUrl, baselineJobId: report.diff?.baselineJobId
            )
        )
        return Log(runs: [run])
    }

    private func location(_ url: String, _ selector: String?) -> Location {
        Location(
            physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: url)),
            logicalLocations: selector.map { [LogicalLocation(fullyQualifiedName: $0, kind: "element")] }
        )
    }

    private struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    private struct Run: Encodable {
        var tool: Tool
        var automationDetails: AutomationDetails
        var invocations: [Invocation]
        var results: [Result]
        var properties: RunProperties
    }

    private struct Tool: Encodable { var driver: Driver }

    private struct Driver: Encodable {
        var name: String
        var version: String
        var rules: [Rule]
    }

    private struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var helpUri: String?
        var help: Message?
        var defaultConfiguration: Configuration
        var properties: RuleProperties
        var severity: Severity
        enum CodingKeys: String, CodingKey {
            case id, name, shortDescription, helpUri, help, defaultConfiguration, properties
        }
    }

    private struct Configuration: Encodable { var level: String }

    private struct RuleProperties: Encodable { var tags: [String] }

    private struct Message: Encodable { var text: String }

    private struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var kind: String?
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: [String: String]
        var baselineState: String?
        var properties: ResultProperties
    }

    private struct ResultProperties: Encodable {
        var severity: String
        var scanner: String
        var pageId: String
        var category: String
        var standards: [String]?
        var elements: Int
        var elementIds: [String]
        var alsoDetectedBy: [String]?
    }

    private struct Location: Encodable {
        var physicalLocation: PhysicalLocation
        var logicalLocations: [LogicalLocation]?
    }

    private struct PhysicalLocation: Encodable { var artifactLocation: ArtifactLocation }

    private struct ArtifactLocation: Encodable { var uri: String }

    private struct LogicalLocation: Encodable {
        var fullyQualifiedName: String
        var kind: String
    }

    private struct AutomationDetails: Encodable { var id: String }

    private struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]
    }

    private struct Notification: Encodable {
        var level: String
        var message: Message
        var descriptor: Reference?
    }

    private struct Reference: Encodable { var id: String }

    private struct RunProperties: Encodable {
        var score: Double?
        var grade: String?
        var partial: Bool
        var scoreNote: String?
        var categories: [String: Double]
        var baseUrl: String
        var baselineJobId: String?
    }
}
