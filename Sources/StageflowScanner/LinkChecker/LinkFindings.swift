import Foundation
import StageflowAPI
import StageflowReport

/// The link checker's decisions: what a checked reference is worth reporting, under which rule, how severe.
///
/// Severities come from a raw word the manifest's `severityMapping` maps (error → serious, warning →
/// moderate, notice → minor, info → info):
/// - `broken-link` (`<a>`), `broken-image` (`<img>`, `srcset`), `broken-resource` (script, stylesheet, frame,
///   media): a 4xx/5xx answer or no answer at all — error on the page's own origin, warning elsewhere;
/// - `redirect-loop`, `too-many-redirects`: the same;
/// - `timeout`: warning internal, notice external;
/// - `missing-anchor`: the target page has no element with the fragment's id or name — warning;
/// - `redirect`: the reference works only through redirects (the chain is in the message) — notice for a
///   permanent redirect on the own origin (the link should be updated), info otherwise;
/// - `blocked-link`: the fetch policy refused the URL — info.
enum LinkFindings {
    /// The raw words and their default severities.
    static let defaultMapping: [String: Severity] = [
        "error": .serious, "warning": .moderate, "notice": .minor, "info": .info,
    ]

    /// The findings of one reference given what its target check found.
    static func findings(for reference: LinkReference, target: LinkTarget, reportRedirects: Bool) -> [ScannerFinding] {
        let fetch = target.fetch
        let shown = reference.target.description
        var findings: [ScannerFinding] = []
        func add(_ rule: String, _ title: String, _ message: String, _ raw: String, _ fix: String) {
            findings.append(
                ScannerFinding(
                    ruleId: rule, title: title, message: message, severity: defaultMapping[raw] ?? .info,
                    severityRaw: raw, url: reference.page, selector: reference.selector, html: reference.html,
                    wcagTags: reference.kind == .link ? ["links"] : ["resources"], howToFix: fix,
                    standards: LinkRules.standards(of: rule), category: .links))
        }
        let chain = fetch.redirects.isEmpty ? "" : " (redirects: \(fetch.chainDescription))"
        let broken = brokenRule(reference.kind)
        let brokenSeverity = reference.isInternal ? "error" : "warning"
        if let failure = fetch.failure {
            switch failure.kind {
            case .timeout:
                add(
                    "timeout", "Link target did not answer in time",
                    "\(shown) did not answer: \(failure.message)\(chain).", reference.isInternal ? "warning" : "notice",
                    "Check that the server at \(reference.target.host) is up and fast enough, or remove the reference.")
            case .redirectLoop:
                add(
                    "redirect-loop", "Redirect loop", "\(shown) redirects in a loop: \(fetch.chainDescription).",
                    brokenSeverity, "Fix the server's redirect rules so the chain ends in a page.")
            case .tooManyRedirects:
                add(
                    "too-many-redirects", "Too many redirects",
                    "\(shown) redirects more than allowed: \(fetch.chainDescription).", brokenSeverity,
                    "Link to the final URL and shorten the server's redirect chain.")
            case .blocked:
                add(
                    "blocked-link", "Link target not checked (blocked)", "\(shown) was not checked: \(failure.message).",
                    "info", "Nothing to fix unless the target should be reachable; the scan's target policy refused it.")
            case .unreachable, .tls, .transfer, .invalidURL:
                add(
                    broken.rule, broken.title, "\(shown) cannot be fetched: \(failure.message)\(chain).", brokenSeverity,
                    "Fix or remove the reference; the resource is unreachable.")
            }
            return findings
        }
        guard let status = fetch.status else { return findings }
        if status >= 400 {
            add(
                broken.rule, broken.title,
                "\(shown) answers HTTP \(status) \(HTTPStatusText.reason(status))\(chain).", brokenSeverity,
                "Point the \(reference.attribute) at an existing resource, or restore the resource.")
            return findings
        }
        if reportRedirects, !fetch.redirects.isEmpty {
            let permanent = fetch.redirects.allSatisfy { $0.status == 301 || $0.status == 308 }
            add(
                "redirect", "Link goes through a redirect",
                "\(shown) redirects: \(fetch.chainDescription).", reference.isInternal && permanent ? "notice" : "info",
                "Link to \(fetch.final.key) directly.")
        }
        if let fragment = checkableFragment(reference.target.fragment), (200..<300).contains(status),
            let anchors = target.anchors, !contains(anchors, fragment)
        {
            add(
                "missing-anchor", "Link to a missing anchor",
                "\(fetch.final.key) has no element with id or name \"\(fragment.removingPercentEncoding ?? fragment)\" for #\(fragment).",
                "warning", "Link to an anchor that exists on the target page, or add the id there.")
        }
        return findings
    }

    static func brokenRule(_ kind: LinkReference.Kind) -> (rule: String, title: String) {
        switch kind {
        case .link: ("broken-link", "Broken link")
        case .image: ("broken-image", "Broken image")
        case .resource: ("broken-resource", "Broken resource")
        }
    }

    /// The fragment a reference asks the target to define, or `nil` when none needs to exist: no fragment,
    /// an empty one, `#top` (always the top of the document), or a text fragment (`#:~:text=`).
    static func checkableFragment(_ fragment: String?) -> String? {
        guard let fragment, !fragment.isEmpty, fragment.lowercased() != "top", !fragment.hasPrefix(":~:") else {
            return nil
        }
        return fragment
    }

    /// Whether a fragment names one of the anchors, as written or percent-decoded.
    static func contains(_ anchors: Set<String>, _ fragment: String) -> Bool {
        anchors.contains(fragment) || fragment.removingPercentEncoding.map(anchors.contains) == true
    }
}
