import Foundation
import StageflowAPI
import StageflowReport

/// The `axe` scanner: axe-core run in every loaded page (and its frames); violations, and incomplete results
/// as items that need review, with the node's impact as severity, WCAG success criteria, selectors, HTML and
/// bounding boxes; per page the rules that passed and those that did not apply.
public struct AxeScanner: PageScanner {
    /// `axe`.
    public let id = "axe"
    /// axe-core runs in the page.
    public let requiresBrowser = true

    /// The scanner's configuration (the manifest's `configSchema`).
    public struct Configuration: Decodable, Sendable {
        /// Run only rules with one of these tags (`wcag2a`, `wcag2aa`, `best-practice`…); default: axe's default set.
        public var tags: [String]?
        /// Run only these rules.
        public var rules: [String]?
        /// Never run these rules.
        public var disableRules: [String]?
        /// CSS selectors of the parts of the page to check (default: the whole document).
        public var include: [String]?
        /// CSS selectors of parts to leave out.
        public var exclude: [String]?
        /// Report incomplete results ("needs review"; default true).
        public var includeIncomplete: Bool?
    }

    private let scriptLocation: String?

    /// A scanner; `scriptLocation` overrides where axe.min.js is looked for.
    public init(scriptLocation: String? = nil) {
        self.scriptLocation = scriptLocation
    }

    /// Loads axe-core (a missing script fails the run with what to install) and checks the configuration.
    public func makeSession(_ setup: PageScanSetup) async throws -> any PageScanSession {
        let configuration = try setup.decodeConfig(Configuration.self)
        let script = try scriptLocation.map { try AxeScript.load(configured: $0) } ?? AxeScript.load()
        return Session(script: script, configuration: configuration)
    }

    struct Session: PageScanSession {
        let script: AxeScript
        let configuration: Configuration

        var toolVersion: String { "axe-core \(script.version)" }

        /// axe goes into every document (frames included) before the page's scripts, so that a run in the top
        /// document reaches into frames.
        var documentStartScript: String? { script.source }

        func scan(_ page: LoadedPage, tab: (any BrowserTab)?) async throws -> PageScanOutcome {
            guard let tab else { return PageScanOutcome(errors: ["axe needs a browser; none was available"]) }
            let value: JSONValue
            do {
                value = try await tab.evaluate(AxeRunScript.expression(context: context, options: options))
            } catch let error as BrowserScriptError {
                return PageScanOutcome(errors: ["axe could not run on this page: \(error.message)"])
            }
            let results: AxeResults
            do {
                results = try value.decode(as: AxeResults.self)
            } catch {
                return PageScanOutcome(errors: ["axe returned results this scanner cannot read: \(error)"])
            }
            return PageScanOutcome(
                findings: results.findings(url: page.url, includeIncomplete: configuration.includeIncomplete ?? true),
                checked: results.passedRules, inapplicable: results.inapplicableRules, rules: results.ruleDescriptors)
        }

        var context: JSONValue {
            guard configuration.include != nil || configuration.exclude != nil else { return .null }
            var context: JSONValue = [:]
            if let include = configuration.include { context["include"] = .array(include.map { .string($0) }) }
            if let exclude = configuration.exclude { context["exclude"] = .array(exclude.map { .string($0) }) }
            return context
        }

        var options: JSONValue {
            // resultTypes keeps passes and inapplicable results to one node each: the rules are what counts.
            var options: JSONValue = ["resultTypes": ["violations", "incomplete"]]
            if let rules = configuration.rules {
                options["runOnly"] = ["type": "rule", "values": .array(rules.map { .string($0) })]
            } else if let tags = configuration.tags {
                options["runOnly"] = ["type": "tag", "values": .array(tags.map { .string($0) })]
            }
            if let disabled = configuration.disableRules {
                options["rules"] = .object(Dictionary(uniqueKeysWithValues: disabled.map { ($0, ["enabled": false]) }))
            }
            return options
        }
    }
}
