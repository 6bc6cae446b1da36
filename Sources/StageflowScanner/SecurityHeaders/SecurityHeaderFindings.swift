import StageflowAPI
import StageflowHTTP
import StageflowReport

/// Turns the grading of a page into findings.
///
/// Decisions (documented in the manifest too):
/// - every Observatory result with a negative modifier is a finding, its rule id the result slug, its
///   severity from the modifier — ≤ −20 serious, ≤ −10 moderate, < 0 minor — with the modifier as
///   `severityRaw` (so a manifest's `severityMapping` can re-grade it);
/// - results worth 0 that still leave something to do (no Referrer-Policy, no COOP, style-src only, …) are
///   `info` findings; passing and bonus results are not findings;
/// - unscored checks the Observatory only notes (missing `base-uri`, `frame-ancestors`, `object-src`, CSP
///   directives ignored in `<meta>`, HSTS without `includeSubDomains`, no Permissions-Policy) are `minor` or
///   `info` findings with their own rule ids;
/// - each Observatory finding names its test as `check`, which the report's Security score counts per page
///   (``SecurityHeaderChecks``); the page's Observatory score and grade are in its evidence file, not a finding.
enum SecurityHeaderFindings {
    /// Zero-modifier results that are still worth telling.
    static let advisory: Set<ObservatoryResult> = [
        .cspImplementedWithUnsafeInlineInStyleSrcOnly, .cspImplementedButDuplicateDirectives,
        .cookiesSecureWithHttponlySessions, .referrerPolicyNotImplemented, .xFrameOptionsAllowFromOrigin,
        .corpNotImplemented, .corpImplementedWithCrossOrigin, .coopNotImplemented, .coopImplementedWithUnsafeNone,
        .coepNotImplemented, .coepImplementedWithUnsafeNone,
    ]

    /// The severity of a score modifier.
    static func severity(forModifier modifier: Int) -> Severity {
        switch modifier {
        case ...(-20): .serious
        case ...(-10): .moderate
        case ..<0: .minor
        default: .info
        }
    }

    /// The findings of one page.
    static func findings(for report: ObservatoryReport, page: String, headers: HTTPHeaders, isSecure: Bool) -> [ScannerFinding] {
        var findings = report.outcomes.compactMap { outcome(for: $0, page: page) }
        findings += supplementary(report, page: page, headers: headers, isSecure: isSecure)
        return findings
    }

    private static func outcome(for outcome: ObservatoryOutcome, page: String) -> ScannerFinding? {
        let result = outcome.result
        guard result.modifier < 0 || advisory.contains(result) else { return nil }
        var message = result.summary
        if let detail = outcome.detail, !detail.isEmpty { message += " Seen: \(detail)." }
        if result.modifier != 0 { message += " (Observatory score \(result.modifier))" }
        return ScannerFinding(
            ruleId: result.slug, title: title(of: outcome), message: message,
            severity: severity(forModifier: result.modifier), severityRaw: String(result.modifier), url: page,
            wcagTags: ["security"], howToFix: result.howToFix, helpUrl: outcome.test.helpURL,
            standards: SecurityHeaderChecks.standards(of: outcome.test), category: .security, check: outcome.test.rawValue)
    }

    /// `Content Security Policy (CSP): implemented with unsafe inline`.
    static func title(of outcome: ObservatoryOutcome) -> String {
        let prefixes = [
            "csp-", "cookies-", "cross-origin-resource-sharing-", "redirection-", "referrer-policy-", "hsts-", "sri-",
            "x-content-type-options-", "x-frame-options-", "corp-", "coop-", "coep-",
        ]
        var words = outcome.result.slug
        if let prefix = prefixes.first(where: { words.hasPrefix($0) }) { words.removeFirst(prefix.count) }
        return "\(outcome.test.title): \(words.replacingOccurrences(of: "-", with: " "))"
    }

    private static func supplementary(
        _ report: ObservatoryReport, page: String, headers: HTTPHeaders, isSecure: Bool
    ) -> [ScannerFinding] {
        var findings: [ScannerFinding] = []
        func add(_ rule: String, _ title: String, _ message: String, _ severity: Severity, _ fix: String, _ help: String) {
            findings.append(
                ScannerFinding(
                    ruleId: rule, title: title, message: message, severity: severity, severityRaw: severity.rawValue,
                    url: page, wcagTags: ["security"], howToFix: fix, helpUrl: help,
                    standards: SecurityHeaderChecks.descriptors.first { $0.id == rule }?.standards, category: .security))
        }
        let cspHelp = ObservatoryTest.contentSecurityPolicy.helpURL
        let csp = report.csp
        if let policy = csp.policy {
            if policy["object-src"] == nil, policy["default-src"] == nil {
                add(
                    "csp-object-src-missing", "CSP: object-src not set",
                    "The policy sets neither object-src nor default-src, so plugins (<object>, <embed>) may load from anywhere.",
                    .minor, "Add object-src 'none'.", cspHelp)
            }
            if csp.insecureBaseUri {
                add(
                    "csp-base-uri-not-restricted", "CSP: base-uri not restricted",
                    "The policy does not restrict base-uri, so injected <base> tags can redirect relative script URLs.",
                    .minor, "Add base-uri 'none' (or 'self').", cspHelp)
            }
            if !csp.antiClickjacking {
                let xfo = report.outcome(.xFrameOptions)?.result
                let covered = xfo == .xFrameOptionsSameoriginOrDeny
                add(
                    "csp-frame-ancestors-missing", "CSP: frame-ancestors not set",
                    "The Content-Security-Policy header does not restrict framing with frame-ancestors"
                        + (covered ? " (X-Frame-Options covers older browsers)." : "."),
                    covered ? .info : .minor, "Add frame-ancestors 'none' (or 'self') to the header policy.", cspHelp)
            }
            if csp.insecureFormAction {
                add(
                    "csp-form-action-not-restricted", "CSP: form-action not restricted",
                    "The policy does not restrict form-action, so forms may submit to any site.", .info,
                    "Add form-action 'self'.", cspHelp)
            }
            if !csp.ignoredMetaDirectives.isEmpty {
                add(
                    "csp-meta-directive-ignored", "CSP: directives ignored in <meta>",
                    "A <meta http-equiv> policy sets \(csp.ignoredMetaDirectives.joined(separator: ", ")), which browsers ignore there.",
                    .minor, "Send these directives in the Content-Security-Policy response header.", cspHelp)
            }
        }
        if isSecure, let hsts = report.hsts, !hsts.includeSubDomains {
            add(
                "hsts-include-subdomains-missing", "HSTS: includeSubDomains not set",
                "Strict-Transport-Security does not include subdomains, so they can still be reached over plain HTTP.",
                .info, "Add includeSubDomains once every subdomain serves HTTPS.",
                ObservatoryTest.strictTransportSecurity.helpURL)
        }
        if !headers.contains("Permissions-Policy"), !headers.contains("Feature-Policy") {
            add(
                "permissions-policy-not-implemented", "Permissions-Policy not set",
                "No Permissions-Policy header limits which browser features (camera, geolocation, …) the page and its frames may use.",
                .info, "Send a Permissions-Policy that disables the features the site does not use, e.g. camera=(), geolocation=().",
                "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Permissions-Policy")
        }
        return findings
    }
}
