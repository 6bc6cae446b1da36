import StageflowAPI
import StageflowReport

/// What the `security-headers` scanner declares for the score: each HTTP Observatory test is one check (its
/// failing results are the rules findings carry, each finding naming its test as `check`), and each
/// supplementary rule is a check of its own.
///
/// A test's impact is that of its worst result in the Observatory's score table (−20 or worse serious, −10
/// or worse moderate, below 0 minor); tests that never lower the score (CORP, COOP, COEP) weigh nothing.
enum SecurityHeaderChecks {
    /// The supplementary rules: id, title, impact.
    static let supplementary: [(id: String, title: String, severity: Severity)] = [
        ("csp-object-src-missing", "CSP: object-src not set", .minor),
        ("csp-base-uri-not-restricted", "CSP: base-uri not restricted", .minor),
        ("csp-frame-ancestors-missing", "CSP: frame-ancestors not set", .minor),
        ("csp-form-action-not-restricted", "CSP: form-action not restricted", .info),
        ("csp-meta-directive-ignored", "CSP: directives ignored in <meta>", .minor),
        ("hsts-include-subdomains-missing", "HSTS: includeSubDomains not set", .info),
        ("permissions-policy-not-implemented", "Permissions-Policy not set", .info),
    ]

    /// Every check, declared.
    static var descriptors: [RuleDescriptor] {
        let tests = ObservatoryTest.allCases.map { test in
            RuleDescriptor(
                id: test.rawValue, title: test.title, severity: severity(of: test), category: .security,
                standards: standards(of: test), helpUrl: test.helpURL)
        }
        let others = supplementary.map { rule in
            let test: ObservatoryTest =
                rule.id.hasPrefix("hsts") ? .strictTransportSecurity : rule.id.hasPrefix("csp") ? .contentSecurityPolicy : .crossOriginResourcePolicy
            let help = rule.id.hasPrefix("permissions")
                ? "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Permissions-Policy" : test.helpURL
            return RuleDescriptor(
                id: rule.id, title: rule.title, severity: rule.severity, category: .security,
                standards: rule.id.hasPrefix("permissions")
                    ? [StandardReference(kind: .other, id: "permissions-policy", title: "Permissions Policy (W3C)", url: help)]
                    : standards(of: test),
                helpUrl: help)
        }
        return tests + others
    }

    /// The impact of a test: that of its worst result.
    static func severity(of test: ObservatoryTest) -> Severity {
        switch test {
        case .contentSecurityPolicy, .cookies, .crossOriginResourceSharing, .redirection, .strictTransportSecurity,
            .subresourceIntegrity, .xFrameOptions:
            return .serious
        case .referrerPolicy, .xContentTypeOptions:
            return .minor
        case .crossOriginResourcePolicy, .crossOriginOpenerPolicy, .crossOriginEmbedderPolicy:
            return .info
        }
    }

    /// The Observatory test and the specification behind it.
    static func standards(of test: ObservatoryTest) -> [StandardReference] {
        var references = [StandardReference.observatory(test.rawValue, title: test.title, url: test.helpURL)]
        switch test {
        case .strictTransportSecurity: references.append(.rfc(6797, title: "HTTP Strict Transport Security"))
        case .cookies: references.append(.rfc(6265, title: "HTTP State Management Mechanism (cookies)"))
        case .xFrameOptions: references.append(.rfc(7034, title: "HTTP Header Field X-Frame-Options"))
        case .redirection: references.append(.rfc(9110, title: "HTTP Semantics: redirection", section: "15.4"))
        default: break
        }
        return references
    }

    /// The checks that apply to a graded page, and those that do not: the CSP supplements need a policy,
    /// includeSubDomains an HSTS header on HTTPS, redirection and CORS their probes.
    static func applicability(
        _ report: ObservatoryReport, isSecure: Bool, checkedRedirection: Bool, checkedCORS: Bool
    ) -> (checked: [String], inapplicable: [String]) {
        var inapplicable: [String] = []
        if report.csp.policy == nil {
            inapplicable += supplementary.map(\.id).filter { $0.hasPrefix("csp-") }
        }
        if !isSecure || report.hsts == nil { inapplicable.append("hsts-include-subdomains-missing") }
        if !checkedRedirection { inapplicable.append(ObservatoryTest.redirection.rawValue) }
        if !checkedCORS { inapplicable.append(ObservatoryTest.crossOriginResourceSharing.rawValue) }
        return (descriptors.map(\.id), inapplicable)
    }
}
