/// A result of an Observatory test, by its result slug, with the score modifier the Observatory's score table
/// gives it.
public enum ObservatoryResult: String, Sendable, Hashable, CaseIterable, Codable {
    // Content Security Policy
    case cspImplementedWithNoUnsafeDefaultSrcNone = "csp-implemented-with-no-unsafe-default-src-none"
    case cspImplementedWithNoUnsafe = "csp-implemented-with-no-unsafe"
    case cspImplementedWithUnsafeInlineInStyleSrcOnly = "csp-implemented-with-unsafe-inline-in-style-src-only"
    case cspImplementedWithInsecureSchemeInPassiveContentOnly =
        "csp-implemented-with-insecure-scheme-in-passive-content-only"
    case cspImplementedWithUnsafeEval = "csp-implemented-with-unsafe-eval"
    case cspImplementedWithUnsafeInline = "csp-implemented-with-unsafe-inline"
    case cspImplementedWithInsecureScheme = "csp-implemented-with-insecure-scheme"
    case cspImplementedButDuplicateDirectives = "csp-implemented-but-duplicate-directives"
    case cspHeaderInvalid = "csp-header-invalid"
    case cspNotImplemented = "csp-not-implemented"
    case cspNotImplementedButReportingEnabled = "csp-not-implemented-but-reporting-enabled"
    // Cookies
    case cookiesSecureWithHttponlySessionsAndSamesite = "cookies-secure-with-httponly-sessions-and-samesite"
    case cookiesSecureWithHttponlySessions = "cookies-secure-with-httponly-sessions"
    case cookiesNotFound = "cookies-not-found"
    case cookiesWithoutSecureFlagButProtectedByHsts = "cookies-without-secure-flag-but-protected-by-hsts"
    case cookiesSessionWithoutSecureFlagButProtectedByHsts = "cookies-session-without-secure-flag-but-protected-by-hsts"
    case cookiesWithoutSecureFlag = "cookies-without-secure-flag"
    case cookiesSamesiteFlagInvalid = "cookies-samesite-flag-invalid"
    case cookiesAnticsrfWithoutSamesiteFlag = "cookies-anticsrf-without-samesite-flag"
    case cookiesSessionWithoutHttponlyFlag = "cookies-session-without-httponly-flag"
    case cookiesSessionWithoutSecureFlag = "cookies-session-without-secure-flag"
    // CORS
    case corsNotImplemented = "cross-origin-resource-sharing-not-implemented"
    case corsImplementedWithPublicAccess = "cross-origin-resource-sharing-implemented-with-public-access"
    case corsImplementedWithRestrictedAccess = "cross-origin-resource-sharing-implemented-with-restricted-access"
    case corsImplementedWithUniversalAccess = "cross-origin-resource-sharing-implemented-with-universal-access"
    // Redirection
    case redirectionAllRedirectsPreloaded = "redirection-all-redirects-preloaded"
    case redirectionToHttps = "redirection-to-https"
    case redirectionNotNeededNoHttp = "redirection-not-needed-no-http"
    case redirectionOffHostFromHttp = "redirection-off-host-from-http"
    case redirectionNotToHttpsOnInitialRedirection = "redirection-not-to-https-on-initial-redirection"
    case redirectionNotToHttps = "redirection-not-to-https"
    case redirectionMissing = "redirection-missing"
    case redirectionInvalidCert = "redirection-invalid-cert"
    // Referrer policy
    case referrerPolicyPrivate = "referrer-policy-private"
    case referrerPolicyNotImplemented = "referrer-policy-not-implemented"
    case referrerPolicyUnsafe = "referrer-policy-unsafe"
    case referrerPolicyHeaderInvalid = "referrer-policy-header-invalid"
    // HSTS
    case hstsPreloaded = "hsts-preloaded"
    case hstsImplementedMaxAgeAtLeastSixMonths = "hsts-implemented-max-age-at-least-six-months"
    case hstsImplementedMaxAgeLessThanSixMonths = "hsts-implemented-max-age-less-than-six-months"
    case hstsNotImplemented = "hsts-not-implemented"
    case hstsHeaderInvalid = "hsts-header-invalid"
    case hstsNotImplementedNoHttps = "hsts-not-implemented-no-https"
    case hstsInvalidCert = "hsts-invalid-cert"
    // Subresource integrity
    case sriImplementedAndAllScriptsLoadedSecurely = "sri-implemented-and-all-scripts-loaded-securely"
    case sriImplementedAndExternalScriptsLoadedSecurely = "sri-implemented-and-external-scripts-loaded-securely"
    case sriNotImplementedResponseNotHtml = "sri-not-implemented-response-not-html"
    case sriNotImplementedButNoScriptsLoaded = "sri-not-implemented-but-no-scripts-loaded"
    case sriNotImplementedButAllScriptsLoadedFromSecureOrigin =
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    case sriNotImplementedButExternalScriptsLoadedSecurely = "sri-not-implemented-but-external-scripts-loaded-securely"
    case sriImplementedButExternalScriptsNotLoadedSecurely = "sri-implemented-but-external-scripts-not-loaded-securely"
    case sriNotImplementedAndExternalScriptsNotLoadedSecurely =
        "sri-not-implemented-and-external-scripts-not-loaded-securely"
    // X-Content-Type-Options
    case xContentTypeOptionsNosniff = "x-content-type-options-nosniff"
    case xContentTypeOptionsNotImplemented = "x-content-type-options-not-implemented"
    case xContentTypeOptionsHeaderInvalid = "x-content-type-options-header-invalid"
    // X-Frame-Options
    case xFrameOptionsImplementedViaCsp = "x-frame-options-implemented-via-csp"
    case xFrameOptionsSameoriginOrDeny = "x-frame-options-sameorigin-or-deny"
    case xFrameOptionsAllowFromOrigin = "x-frame-options-allow-from-origin"
    case xFrameOptionsNotImplemented = "x-frame-options-not-implemented"
    case xFrameOptionsHeaderInvalid = "x-frame-options-header-invalid"
    // Cross-Origin-Resource-Policy
    case corpNotImplemented = "corp-not-implemented"
    case corpImplementedWithSameOrigin = "corp-implemented-with-same-origin"
    case corpImplementedWithSameSite = "corp-implemented-with-same-site"
    case corpImplementedWithCrossOrigin = "corp-implemented-with-cross-origin"
    case corpHeaderInvalid = "corp-header-invalid"
    // Cross-Origin-Opener-Policy
    case coopNotImplemented = "coop-not-implemented"
    case coopImplementedWithSameOrigin = "coop-implemented-with-same-origin"
    case coopImplementedWithSameOriginAllowPopups = "coop-implemented-with-same-origin-allow-popups"
    case coopImplementedWithNoopenerAllowPopups = "coop-implemented-with-noopener-allow-popups"
    case coopImplementedWithUnsafeNone = "coop-implemented-with-unsafe-none"
    case coopHeaderInvalid = "coop-header-invalid"
    // Cross-Origin-Embedder-Policy
    case coepNotImplemented = "coep-not-implemented"
    case coepImplementedWithRequireCorp = "coep-implemented-with-require-corp"
    case coepImplementedWithCredentialless = "coep-implemented-with-credentialless"
    case coepImplementedWithUnsafeNone = "coep-implemented-with-unsafe-none"
    case coepHeaderInvalid = "coep-header-invalid"

    /// The result slug (`csp-implemented-with-unsafe-inline`).
    public var slug: String { rawValue }

    /// What the result adds to the score: the Observatory's score table as of mdn/mdn-http-observatory
    /// 94042bbf (the commit the corpus cases come from; it gives `x-frame-options-sameorigin-or-deny` +5,
    /// where older tables gave 0).
    public var modifier: Int {
        switch self {
        case .cspImplementedWithNoUnsafeDefaultSrcNone, .corpImplementedWithSameOrigin, .corpImplementedWithSameSite,
            .coopImplementedWithSameOrigin, .coopImplementedWithSameOriginAllowPopups,
            .coopImplementedWithNoopenerAllowPopups, .coepImplementedWithRequireCorp, .coepImplementedWithCredentialless:
            return 10
        case .cspImplementedWithNoUnsafe, .cookiesSecureWithHttponlySessionsAndSamesite, .referrerPolicyPrivate,
            .hstsPreloaded, .sriImplementedAndAllScriptsLoadedSecurely, .sriImplementedAndExternalScriptsLoadedSecurely,
            .xFrameOptionsImplementedViaCsp, .xFrameOptionsSameoriginOrDeny:
            return 5
        case .cspImplementedWithUnsafeInlineInStyleSrcOnly, .cspImplementedButDuplicateDirectives,
            .cookiesSecureWithHttponlySessions, .cookiesNotFound, .corsNotImplemented, .corsImplementedWithPublicAccess,
            .corsImplementedWithRestrictedAccess, .redirectionAllRedirectsPreloaded, .redirectionToHttps,
            .redirectionNotNeededNoHttp, .referrerPolicyNotImplemented, .hstsImplementedMaxAgeAtLeastSixMonths,
            .sriNotImplementedResponseNotHtml, .sriNotImplementedButNoScriptsLoaded,
            .sriNotImplementedButAllScriptsLoadedFromSecureOrigin, .xContentTypeOptionsNosniff,
            .xFrameOptionsAllowFromOrigin, .corpNotImplemented,
            .corpImplementedWithCrossOrigin, .coopNotImplemented, .coopImplementedWithUnsafeNone, .coepNotImplemented,
            .coepImplementedWithUnsafeNone:
            return 0
        case .cookiesWithoutSecureFlagButProtectedByHsts, .redirectionOffHostFromHttp, .referrerPolicyUnsafe,
            .referrerPolicyHeaderInvalid, .sriNotImplementedButExternalScriptsLoadedSecurely,
            .xContentTypeOptionsNotImplemented, .xContentTypeOptionsHeaderInvalid, .corpHeaderInvalid,
            .coopHeaderInvalid, .coepHeaderInvalid:
            return -5
        case .cspImplementedWithInsecureSchemeInPassiveContentOnly, .cspImplementedWithUnsafeEval,
            .cookiesSessionWithoutSecureFlagButProtectedByHsts, .redirectionNotToHttpsOnInitialRedirection,
            .hstsImplementedMaxAgeLessThanSixMonths:
            return -10
        case .cspImplementedWithUnsafeInline, .cspImplementedWithInsecureScheme, .cookiesWithoutSecureFlag,
            .cookiesSamesiteFlagInvalid, .cookiesAnticsrfWithoutSamesiteFlag, .redirectionNotToHttps,
            .redirectionMissing, .redirectionInvalidCert, .hstsNotImplemented, .hstsHeaderInvalid,
            .hstsNotImplementedNoHttps, .hstsInvalidCert, .sriImplementedButExternalScriptsNotLoadedSecurely,
            .xFrameOptionsNotImplemented, .xFrameOptionsHeaderInvalid:
            return -20
        case .cspHeaderInvalid, .cspNotImplemented, .cspNotImplementedButReportingEnabled:
            return -25
        case .cookiesSessionWithoutHttponlyFlag:
            return -30
        case .cookiesSessionWithoutSecureFlag:
            return -40
        case .corsImplementedWithUniversalAccess, .sriNotImplementedAndExternalScriptsNotLoadedSecurely:
            return -50
        }
    }
}
