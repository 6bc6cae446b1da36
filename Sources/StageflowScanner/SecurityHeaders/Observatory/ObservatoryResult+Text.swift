extension ObservatoryResult {
    /// What the result means, in one sentence.
    public var summary: String {
        switch self {
        case .cspImplementedWithNoUnsafeDefaultSrcNone: "CSP sets default-src 'none' and allows nothing unsafe."
        case .cspImplementedWithNoUnsafe: "CSP is set without 'unsafe-inline', 'unsafe-eval' or overly broad sources."
        case .cspImplementedWithUnsafeInlineInStyleSrcOnly:
            "CSP allows unsafe sources ('unsafe-inline', data: or broad sources) in style-src only."
        case .cspImplementedWithInsecureSchemeInPassiveContentOnly:
            "CSP of an HTTPS page lets images or media load over plain HTTP."
        case .cspImplementedWithUnsafeEval: "CSP allows 'unsafe-eval'."
        case .cspImplementedWithUnsafeInline:
            "CSP does not restrict scripts: script-src (or object-src) allows 'unsafe-inline', data:, overly broad sources, or is not set."
        case .cspImplementedWithInsecureScheme: "CSP of an HTTPS page lets active content load over plain HTTP."
        case .cspImplementedButDuplicateDirectives: "CSP repeats report-uri or report-to directives."
        case .cspHeaderInvalid: "The Content-Security-Policy cannot be parsed."
        case .cspNotImplemented: "No Content-Security-Policy is set."
        case .cspNotImplementedButReportingEnabled:
            "Only Content-Security-Policy-Report-Only is set: violations are reported, not blocked."
        case .cookiesSecureWithHttponlySessionsAndSamesite:
            "All cookies are Secure, session cookies HttpOnly, and all use SameSite."
        case .cookiesSecureWithHttponlySessions: "All cookies are Secure and session cookies HttpOnly, but not all use SameSite."
        case .cookiesNotFound: "No cookies are set."
        case .cookiesWithoutSecureFlagButProtectedByHsts: "Cookies are set without Secure; HSTS keeps them off plain HTTP."
        case .cookiesSessionWithoutSecureFlagButProtectedByHsts:
            "A session cookie is set without Secure; HSTS keeps it off plain HTTP."
        case .cookiesWithoutSecureFlag: "Cookies are set without the Secure flag or over plain HTTP."
        case .cookiesSamesiteFlagInvalid:
            "A cookie has an invalid SameSite value, or SameSite=None without Secure."
        case .cookiesAnticsrfWithoutSamesiteFlag: "An anti-CSRF cookie is set without SameSite."
        case .cookiesSessionWithoutHttponlyFlag: "A session cookie is set without HttpOnly: scripts can read it."
        case .cookiesSessionWithoutSecureFlag: "A session cookie is set without Secure or over plain HTTP."
        case .corsNotImplemented: "The page is not shared with other origins through CORS."
        case .corsImplementedWithPublicAccess: "The page is shared with every origin (Access-Control-Allow-Origin: *), without credentials."
        case .corsImplementedWithRestrictedAccess: "The page is shared through CORS with specific origins only."
        case .corsImplementedWithUniversalAccess:
            "The server reflects any Origin in Access-Control-Allow-Origin and allows credentials: any site can read authenticated responses."
        case .redirectionAllRedirectsPreloaded: "Every host on the way from HTTP is on the HSTS preload list."
        case .redirectionToHttps: "Plain HTTP redirects to HTTPS on the same host first."
        case .redirectionNotNeededNoHttp: "The site does not answer on plain HTTP."
        case .redirectionOffHostFromHttp: "Plain HTTP redirects to HTTPS on another host, so HSTS is never set for this one."
        case .redirectionNotToHttpsOnInitialRedirection: "Plain HTTP first redirects to another plain HTTP URL."
        case .redirectionNotToHttps: "Plain HTTP redirects, but not to HTTPS in the end."
        case .redirectionMissing: "Plain HTTP is served without redirecting to HTTPS."
        case .redirectionInvalidCert: "The redirect to HTTPS meets an invalid certificate."
        case .referrerPolicyPrivate: "Referrer-Policy keeps URLs private (no-referrer, same-origin, strict-origin…)."
        case .referrerPolicyNotImplemented: "No Referrer-Policy is set (browsers default to strict-origin-when-cross-origin)."
        case .referrerPolicyUnsafe: "Referrer-Policy sends full URLs or origins to other sites (unsafe-url, origin…)."
        case .referrerPolicyHeaderInvalid: "Referrer-Policy has no recognised value."
        case .hstsPreloaded: "The host is on the HSTS preload list."
        case .hstsImplementedMaxAgeAtLeastSixMonths: "Strict-Transport-Security is set for at least six months."
        case .hstsImplementedMaxAgeLessThanSixMonths: "Strict-Transport-Security max-age is below six months (15552000 s)."
        case .hstsNotImplemented: "No Strict-Transport-Security header on the HTTPS response."
        case .hstsHeaderInvalid: "Strict-Transport-Security cannot be parsed (no max-age, or set twice)."
        case .hstsNotImplementedNoHttps: "The page is not served over HTTPS, so HSTS cannot apply."
        case .hstsInvalidCert: "The certificate is invalid, so HSTS cannot take effect."
        case .sriImplementedAndAllScriptsLoadedSecurely: "Scripts use Subresource Integrity and load from the site itself."
        case .sriImplementedAndExternalScriptsLoadedSecurely: "External scripts use Subresource Integrity and load over HTTPS."
        case .sriNotImplementedResponseNotHtml: "The response is not HTML; SRI does not apply."
        case .sriNotImplementedButNoScriptsLoaded: "The page loads no scripts."
        case .sriNotImplementedButAllScriptsLoadedFromSecureOrigin: "All scripts load from the site itself (no SRI)."
        case .sriNotImplementedButExternalScriptsLoadedSecurely:
            "External scripts load over HTTPS but without Subresource Integrity."
        case .sriImplementedButExternalScriptsNotLoadedSecurely:
            "External scripts have integrity hashes but load over HTTP or protocol-relative URLs."
        case .sriNotImplementedAndExternalScriptsNotLoadedSecurely:
            "External scripts load over HTTP or protocol-relative URLs, without Subresource Integrity."
        case .xContentTypeOptionsNosniff: "X-Content-Type-Options is nosniff."
        case .xContentTypeOptionsNotImplemented: "No X-Content-Type-Options header: browsers may sniff content types."
        case .xContentTypeOptionsHeaderInvalid: "X-Content-Type-Options has a value other than nosniff."
        case .xFrameOptionsImplementedViaCsp: "Framing is restricted with CSP frame-ancestors."
        case .xFrameOptionsSameoriginOrDeny: "X-Frame-Options is DENY or SAMEORIGIN."
        case .xFrameOptionsAllowFromOrigin: "X-Frame-Options uses ALLOW-FROM, which current browsers ignore."
        case .xFrameOptionsNotImplemented: "Neither X-Frame-Options nor CSP frame-ancestors restrict framing: clickjacking is possible."
        case .xFrameOptionsHeaderInvalid: "X-Frame-Options has no recognised value."
        case .corpNotImplemented: "No Cross-Origin-Resource-Policy (defaults to cross-origin)."
        case .corpImplementedWithSameOrigin: "Cross-Origin-Resource-Policy is same-origin."
        case .corpImplementedWithSameSite: "Cross-Origin-Resource-Policy is same-site."
        case .corpImplementedWithCrossOrigin: "Cross-Origin-Resource-Policy explicitly allows cross-origin embedding."
        case .corpHeaderInvalid: "Cross-Origin-Resource-Policy has no recognised value, or is sent more than once."
        case .coopNotImplemented: "No Cross-Origin-Opener-Policy."
        case .coopImplementedWithSameOrigin: "Cross-Origin-Opener-Policy is same-origin."
        case .coopImplementedWithSameOriginAllowPopups: "Cross-Origin-Opener-Policy is same-origin-allow-popups."
        case .coopImplementedWithNoopenerAllowPopups: "Cross-Origin-Opener-Policy is noopener-allow-popups."
        case .coopImplementedWithUnsafeNone: "Cross-Origin-Opener-Policy is unsafe-none (no isolation)."
        case .coopHeaderInvalid: "Cross-Origin-Opener-Policy is not a valid policy, or is sent more than once."
        case .coepNotImplemented: "No Cross-Origin-Embedder-Policy."
        case .coepImplementedWithRequireCorp: "Cross-Origin-Embedder-Policy is require-corp."
        case .coepImplementedWithCredentialless: "Cross-Origin-Embedder-Policy is credentialless."
        case .coepImplementedWithUnsafeNone: "Cross-Origin-Embedder-Policy is unsafe-none (no isolation)."
        case .coepHeaderInvalid: "Cross-Origin-Embedder-Policy is not a valid policy, or is sent more than once."
        }
    }

    /// What to change, for results that leave something to do.
    public var howToFix: String? {
        switch self {
        case .cspNotImplemented, .cspNotImplementedButReportingEnabled:
            "Send an enforced Content-Security-Policy, starting from default-src 'none' and adding the sources the page needs."
        case .cspHeaderInvalid:
            "Fix the policy syntax: directives separated by ';', each directive once, 'strict-dynamic' only with a nonce or hash."
        case .cspImplementedWithUnsafeInline:
            "Set script-src and object-src (or default-src) to specific sources; remove 'unsafe-inline', data: and wildcards such as https: or *; use nonces or hashes for inline scripts."
        case .cspImplementedWithInsecureScheme, .cspImplementedWithInsecureSchemeInPassiveContentOnly:
            "Load every resource over HTTPS and remove http: sources from the policy (or add upgrade-insecure-requests)."
        case .cspImplementedWithUnsafeEval: "Stop using eval() and similar, then remove 'unsafe-eval'."
        case .cspImplementedWithUnsafeInlineInStyleSrcOnly:
            "Move inline styles to stylesheets (or use nonces/hashes) and remove 'unsafe-inline', data: and broad sources from style-src."
        case .cspImplementedButDuplicateDirectives: "Keep one report-uri and one report-to directive."
        case .cookiesSecureWithHttponlySessions, .cookiesAnticsrfWithoutSamesiteFlag:
            "Add SameSite=Lax (or Strict) to every cookie."
        case .cookiesSamesiteFlagInvalid: "Use SameSite=Strict, Lax, or None together with Secure."
        case .cookiesWithoutSecureFlag, .cookiesWithoutSecureFlagButProtectedByHsts, .cookiesSessionWithoutSecureFlag,
            .cookiesSessionWithoutSecureFlagButProtectedByHsts:
            "Add the Secure flag to every cookie and serve the site over HTTPS with HSTS."
        case .cookiesSessionWithoutHttponlyFlag: "Add HttpOnly to session and login cookies."
        case .corsImplementedWithUniversalAccess:
            "Allow credentialed CORS only for a fixed list of origins; never reflect the request's Origin with Access-Control-Allow-Credentials: true."
        case .redirectionOffHostFromHttp, .redirectionNotToHttpsOnInitialRedirection, .redirectionNotToHttps,
            .redirectionMissing:
            "Redirect every plain-HTTP request to the same host over HTTPS first (301), then elsewhere if needed."
        case .redirectionInvalidCert, .hstsInvalidCert: "Install a certificate that browsers trust for this host."
        case .referrerPolicyNotImplemented, .referrerPolicyUnsafe, .referrerPolicyHeaderInvalid:
            "Send Referrer-Policy: strict-origin-when-cross-origin (or stricter)."
        case .hstsNotImplemented, .hstsHeaderInvalid, .hstsImplementedMaxAgeLessThanSixMonths:
            "Send one Strict-Transport-Security header with max-age of at least 15552000 (six months), ideally with includeSubDomains."
        case .hstsNotImplementedNoHttps: "Serve the site over HTTPS, redirect HTTP to it, and add Strict-Transport-Security."
        case .sriNotImplementedButExternalScriptsLoadedSecurely, .sriImplementedButExternalScriptsNotLoadedSecurely,
            .sriNotImplementedAndExternalScriptsNotLoadedSecurely:
            "Load external scripts over https:// with integrity=\"sha384-…\" and crossorigin=\"anonymous\"."
        case .xContentTypeOptionsNotImplemented, .xContentTypeOptionsHeaderInvalid:
            "Send X-Content-Type-Options: nosniff."
        case .xFrameOptionsNotImplemented, .xFrameOptionsHeaderInvalid, .xFrameOptionsAllowFromOrigin:
            "Add frame-ancestors 'none' (or 'self') to the Content-Security-Policy header, and X-Frame-Options: DENY for old browsers."
        case .corpNotImplemented, .corpImplementedWithCrossOrigin, .corpHeaderInvalid:
            "Send Cross-Origin-Resource-Policy: same-origin (or same-site) for resources not meant to be embedded elsewhere."
        case .coopNotImplemented, .coopImplementedWithUnsafeNone, .coopHeaderInvalid:
            "Send Cross-Origin-Opener-Policy: same-origin (or same-origin-allow-popups)."
        case .coepNotImplemented, .coepImplementedWithUnsafeNone, .coepHeaderInvalid:
            "Send Cross-Origin-Embedder-Policy: require-corp or credentialless where cross-origin isolation is wanted."
        default: nil
        }
    }
}
