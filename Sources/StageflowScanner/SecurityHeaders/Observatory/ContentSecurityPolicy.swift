import Foundation

/// A Content Security Policy as the Observatory reads one: directive names lowercased, source expressions
/// lowercased and de-duplicated, a source directive without sources meaning `'none'`.
public struct ContentSecurityPolicy: Sendable, Hashable {
    /// Why a policy could not be read.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Directive → its sources, in the order written.
    public private(set) var directives: [String: [String]]
    /// `report-uri`/`report-to` written more than once in one policy (tolerated, but reported).
    public private(set) var duplicateReportDirectives: Set<String>

    /// Directives a `<meta http-equiv>` policy may not set; browsers ignore them there.
    public static let disallowedInMeta: Set<String> = ["frame-ancestors", "report-uri", "sandbox"]

    /// The shortest text that can be a policy (`img-src` minus one), as the Observatory counts.
    static let shortestPolicyLength = 6

    /// An empty policy.
    public init() {
        directives = [:]
        duplicateReportDirectives = []
    }

    /// The sources of a directive, if it is set.
    public subscript(directive: String) -> [String]? {
        get { directives[directive] }
        set { directives[directive] = newValue }
    }

    /// Whether no directive is set.
    public var isEmpty: Bool { directives.isEmpty }

    /// Parses one serialised policy. Throws for an empty or too-short policy and for a directive written
    /// twice (other than `report-uri`/`report-to`): browsers would use the first, but a repeated directive is
    /// almost always a mistake worth seeing.
    public static func parse(_ text: String) throws -> ContentSecurityPolicy {
        let cleaned = text.filter { $0 != "\r" && $0 != "\n" }.trimmingCharacters(in: .whitespaces)
        guard cleaned.count >= shortestPolicyLength else {
            throw ParseError(description: cleaned.isEmpty ? "the policy is empty" : "\"\(cleaned)\" is not a policy")
        }
        var policy = ContentSecurityPolicy()
        for entry in cleaned.split(separator: ";", omittingEmptySubsequences: false) {
            let words = entry.split(whereSeparator: { $0.isWhitespace })
            guard let first = words.first else { continue }
            let directive = first.lowercased()
            if policy.directives[directive] != nil {
                guard ["report-uri", "report-to"].contains(directive) else {
                    throw ParseError(description: "directive \(directive) is set twice")
                }
                policy.duplicateReportDirectives.insert(directive)
                continue
            }
            var sources: [String] = []
            for word in words.dropFirst() {
                let source = word.lowercased()
                if !sources.contains(source) { sources.append(source) }
            }
            if sources.isEmpty, directive.hasSuffix("-src") { sources = ["'none'"] }
            policy.directives[directive] = sources
        }
        return policy
    }

    /// The policies of header values: a value may hold several policies separated by commas (RFC 9110
    /// combines repeated header lines that way, and CSP's grammar excludes commas from directives).
    public static func serializedPolicies(in values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    /// The policy without the given directives.
    public func removing(_ names: Set<String>) -> ContentSecurityPolicy {
        var copy = self
        for name in names { copy.directives[name] = nil }
        return copy
    }

    /// The effective policy when all of `policies` are enforced: a page must satisfy every one, so each
    /// directive allows only what every policy allows for it (a policy without the directive contributes its
    /// `default-src` for fetch directives, and no restriction otherwise). An empty intersection is `'none'`.
    public static func combining(_ policies: [ContentSecurityPolicy]) -> ContentSecurityPolicy {
        guard policies.count > 1 else { return policies.first ?? ContentSecurityPolicy() }
        var combined = ContentSecurityPolicy()
        let names = Set(policies.flatMap { $0.directives.keys })
        for name in names {
            let lists = policies.compactMap { policy -> [String]? in
                if let own = policy.directives[name] { return own }
                if name.hasSuffix("-src"), name != "default-src" { return policy.directives["default-src"] }
                return nil
            }
            var sources = lists[0]
            for list in lists.dropFirst() { sources = intersection(sources, list) }
            combined.directives[name] = sources.isEmpty ? ["'none'"] : sources
        }
        combined.duplicateReportDirectives = policies.reduce(into: []) { $0.formUnion($1.duplicateReportDirectives) }
        return combined
    }

    /// The sources allowed by both lists: where one source covers another (`https:` covers
    /// `https://a.example`), the narrower one is kept.
    static func intersection(_ first: [String], _ second: [String]) -> [String] {
        var result: [String] = []
        for a in first {
            for b in second {
                let kept: String? = covers(a, b) ? b : covers(b, a) ? a : nil
                if let kept, kept != "'none'", !result.contains(kept) { result.append(kept) }
            }
        }
        return result
    }

    /// Whether source expression `general` allows everything `specific` allows.
    static func covers(_ general: String, _ specific: String) -> Bool {
        if general == specific { return true }
        if specific.hasPrefix("'") { return false }
        if general == "*" {
            return !["data:", "blob:", "filesystem:", "mediastream:"].contains { specific.hasPrefix($0) }
        }
        if general.hasSuffix(":"), !general.hasPrefix("'") { return specific.hasPrefix(general + "//") }
        if general.hasSuffix("/") { return specific.hasPrefix(general) }
        return false
    }
}
