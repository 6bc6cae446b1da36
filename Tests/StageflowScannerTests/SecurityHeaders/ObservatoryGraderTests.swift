import Foundation
import StageflowHTTP
import Testing

@testable import StageflowScanner

/// A grader input for `https://example.com/` (or another URL) with the given header lines.
func observatoryInput(
    _ url: String = "https://example.com/", headers: [(String, String)] = [], html: String? = nil,
    setCookies: [String] = [], httpRoute: [String]? = nil, corsProbe: ObservatoryInput.CORSProbe? = nil,
    preloadList: HSTSPreloadList = HSTSPreloadList()
) -> ObservatoryInput {
    var fields = HTTPHeaders()
    for (name, value) in headers { fields.add(name, value) }
    return ObservatoryInput(
        url: WebAddress(url)!, headers: fields, document: html.map { HTMLDocument(html: $0) }, setCookies: setCookies,
        httpRoute: httpRoute, corsProbe: corsProbe, preloadList: preloadList)
}

@Suite("Observatory tests: decisions beyond the corpus")
struct ObservatoryGraderTests {
    let grader = ObservatoryGrader()

    func result(_ test: ObservatoryTest, _ input: ObservatoryInput) -> ObservatoryResult? {
        grader.grade(input).outcome(test)?.result
    }

    @Test("CSP parsing: names and sources lowercased, sources de-duplicated, empty source list is 'none'")
    func cspParsing() throws {
        let policy = try ContentSecurityPolicy.parse("Default-Src 'SELF' 'self' https://A.example; img-src; upgrade-insecure-requests")
        #expect(policy["default-src"] == ["'self'", "https://a.example"])
        #expect(policy["img-src"] == ["'none'"])
        #expect(policy["upgrade-insecure-requests"] == [])
        #expect(throws: ContentSecurityPolicy.ParseError.self) { try ContentSecurityPolicy.parse("script-src a; script-src b") }
        #expect(try ContentSecurityPolicy.parse("report-uri /a; report-uri /b").duplicateReportDirectives == ["report-uri"])
    }

    @Test("several enforced policies combine to what all of them allow")
    func cspIntersection() throws {
        let combined = ContentSecurityPolicy.combining([
            try .parse("default-src 'none'; script-src 'self' https:; img-src *"),
            try .parse("script-src https://cdn.example 'self'; img-src https://img.example/"),
            try .parse("style-src 'self'"),
        ])
        #expect(combined["script-src"] == ["'self'", "https://cdn.example"])
        #expect(combined["img-src"] == ["https://img.example/"])
        // The first policy's default-src 'none' also governs style-src.
        #expect(combined["style-src"] == ["'none'"])
    }

    @Test("duplicate report directives turn a passing CSP into csp-implemented-but-duplicate-directives")
    func cspDuplicateReports() {
        let input = observatoryInput(headers: [("Content-Security-Policy", "default-src 'none'; report-uri /a; report-uri /b")])
        #expect(result(.contentSecurityPolicy, input) == .cspImplementedButDuplicateDirectives)
    }

    @Test("policy properties: frame-ancestors only from headers, base-uri, form-action, object-src")
    func cspProperties() {
        let meta = #"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-ancestors 'none'">"#
        let fromMeta = grader.grade(observatoryInput(html: meta)).csp
        #expect(!fromMeta.antiClickjacking)
        #expect(fromMeta.ignoredMetaDirectives == ["frame-ancestors"])
        #expect(fromMeta.insecureBaseUri && fromMeta.insecureFormAction)
        let header = grader.grade(
            observatoryInput(headers: [
                ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
            ])).csp
        #expect(header.antiClickjacking && !header.insecureBaseUri && !header.insecureFormAction && !header.unsafeObjects)
    }

    @Test("insecure schemes only count on HTTPS pages")
    func cspInsecureSchemeNeedsHTTPS() {
        let headers = [("Content-Security-Policy", "default-src http://mozilla.org")]
        #expect(result(.contentSecurityPolicy, observatoryInput(headers: headers)) == .cspImplementedWithInsecureScheme)
        #expect(
            result(.contentSecurityPolicy, observatoryInput("http://example.com/", headers: headers))
                == .cspImplementedWithNoUnsafe)
    }

    @Test(
        "HSTS: max-age thresholds, invalid forms, HTTPS only",
        arguments: [
            ("max-age=15552000", "https://example.com/", ObservatoryResult.hstsImplementedMaxAgeAtLeastSixMonths),
            ("max-age=15551999; includeSubDomains", "https://example.com/", .hstsImplementedMaxAgeLessThanSixMonths),
            ("max-age=\"31536000\"", "https://example.com/", .hstsImplementedMaxAgeAtLeastSixMonths),
            ("includeSubDomains", "https://example.com/", .hstsHeaderInvalid),
            ("max-age=", "https://example.com/", .hstsHeaderInvalid),
            ("max-age=31536000", "http://example.com/", .hstsNotImplementedNoHttps),
        ])
    func hsts(header: String, url: String, expected: ObservatoryResult) {
        #expect(result(.strictTransportSecurity, observatoryInput(url, headers: [("Strict-Transport-Security", header)])) == expected)
    }

    @Test("HSTS: repeated header lines are invalid; includeSubDomains is read")
    func hstsRepeated() {
        let twice = observatoryInput(headers: [("Strict-Transport-Security", "max-age=31536000"), ("Strict-Transport-Security", "max-age=1")])
        #expect(result(.strictTransportSecurity, twice) == .hstsHeaderInvalid)
        let report = grader.grade(observatoryInput(headers: [("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload")]))
        #expect(report.hsts == HSTSPolicy(maxAge: 31_536_000, includeSubDomains: true, preload: true))
    }

    @Test("preload list: own force-https entry, or a parent's that includes subdomains")
    func preload() throws {
        let list = HSTSPreloadList([
            "example.org": .init(includeSubDomains: true, mode: "force-https"),
            "example.net": .init(includeSubDomains: false, mode: "force-https"),
        ])
        #expect(list.preloadEntry(for: "a.b.example.org") != nil)
        #expect(list.preloadEntry(for: "example.net") != nil)
        #expect(list.preloadEntry(for: "www.example.net") == nil)
        let observatoryFormat = try HSTSPreloadList(data: Data(#"{"example.com": {"includeSubDomains": true, "mode": "force-https"}}"#.utf8))
        #expect(observatoryFormat.preloadEntry(for: "x.example.com") != nil)
    }

    @Test("Set-Cookie parsing")
    func setCookieParsing() throws {
        let cookie = try #require(SetCookie(header: "SESSIONID=abc; Path=/; Secure; HttpOnly; SameSite=Lax; Expires=Wed, 21 Oct 2026 07:28:00 GMT"))
        #expect(cookie.name == "SESSIONID" && cookie.secure && cookie.httpOnly && cookie.sameSite == "lax" && cookie.isSession)
        let odd = try #require(SetCookie(header: "csrftoken=x; samesite=sometimes"))
        #expect(odd.sameSite == nil && odd.sameSiteInvalid && odd.isAntiCSRF)
        #expect(SetCookie(header: "no-equals-sign") == nil)
    }

    @Test(
        "cookies: the worst problem wins, HSTS softens missing Secure",
        arguments: [
            ([String](), false, ObservatoryResult.cookiesNotFound),
            (["a=1; Secure; SameSite=Strict"], false, .cookiesSecureWithHttponlySessionsAndSamesite),
            (["a=1; Secure"], false, .cookiesSecureWithHttponlySessions),
            (["a=1"], false, .cookiesWithoutSecureFlag),
            (["a=1"], true, .cookiesWithoutSecureFlagButProtectedByHsts),
            (["sessionid=1; Secure"], false, .cookiesSessionWithoutHttponlyFlag),
            (["sessionid=1; HttpOnly"], false, .cookiesSessionWithoutSecureFlag),
            (["sessionid=1; HttpOnly; SameSite=Lax"], true, .cookiesSessionWithoutSecureFlagButProtectedByHsts),
            (["csrftoken=1; Secure"], false, .cookiesAnticsrfWithoutSamesiteFlag),
            (["a=1; Secure; SameSite=Nope"], false, .cookiesSamesiteFlagInvalid),
            (["a=1; SameSite=None"], true, .cookiesSamesiteFlagInvalid),
            (["heroku-session-affinity=1"], false, .cookiesNotFound),
        ])
    func cookies(headers: [String], hsts: Bool, expected: ObservatoryResult) {
        var fields = [(String, String)]()
        if hsts { fields.append(("Strict-Transport-Security", "max-age=31536000")) }
        #expect(result(.cookies, observatoryInput(headers: fields, setCookies: headers)) == expected)
    }

    @Test(
        "redirection from plain HTTP",
        arguments: [
            (nil, ObservatoryResult.redirectionNotNeededNoHttp),
            (["http://example.com/"], .redirectionMissing),
            (["http://example.com/", "https://example.com/"], .redirectionToHttps),
            (["http://example.com/", "http://www.example.com/", "https://www.example.com/"], .redirectionNotToHttpsOnInitialRedirection),
            (["http://example.com/", "https://www.example.com/"], .redirectionOffHostFromHttp),
            (["http://example.com/", "http://example.org/"], .redirectionNotToHttps),
        ] as [([String]?, ObservatoryResult)])
    func redirection(route: [String]?, expected: ObservatoryResult) {
        #expect(result(.redirection, observatoryInput(httpRoute: route)) == expected)
    }

    @Test("CORS: reflecting any origin with credentials is universal access")
    func cors() {
        let origin = SecurityHeadersScanner.probeOrigin
        func probe(_ headers: [(String, String)]) -> ObservatoryInput.CORSProbe {
            var fields = HTTPHeaders()
            for (name, value) in headers { fields.add(name, value) }
            return ObservatoryInput.CORSProbe(origin: origin, headers: fields)
        }
        #expect(result(.crossOriginResourceSharing, observatoryInput()) == .corsNotImplemented)
        #expect(result(.crossOriginResourceSharing, observatoryInput(corsProbe: probe([("Access-Control-Allow-Origin", "*")]))) == .corsImplementedWithPublicAccess)
        #expect(
            result(.crossOriginResourceSharing, observatoryInput(corsProbe: probe([
                ("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"),
            ]))) == .corsImplementedWithUniversalAccess)
        #expect(
            result(.crossOriginResourceSharing, observatoryInput(corsProbe: probe([("Access-Control-Allow-Origin", "https://partner.example")])))
                == .corsImplementedWithRestrictedAccess)
    }

    @Test(
        "subresource integrity of script tags",
        arguments: [
            ("<p>no scripts</p>", ObservatoryResult.sriNotImplementedButNoScriptsLoaded),
            (#"<script src="/app.js"></script>"#, .sriNotImplementedButAllScriptsLoadedFromSecureOrigin),
            (#"<script src="https://cdn.example.net/a.js" integrity="sha384-x"></script>"#, .sriImplementedAndExternalScriptsLoadedSecurely),
            (#"<script src="https://cdn.example.net/a.js"></script>"#, .sriNotImplementedButExternalScriptsLoadedSecurely),
            (#"<script src="http://cdn.example.net/a.js"></script>"#, .sriNotImplementedAndExternalScriptsNotLoadedSecurely),
            (#"<script src="//cdn.example.net/a.js" integrity="sha384-x"></script>"#, .sriImplementedButExternalScriptsNotLoadedSecurely),
            (#"<script src="https://static.example.com/a.js"></script>"#, .sriNotImplementedButAllScriptsLoadedFromSecureOrigin),
            (#"<script src="/a.js" integrity="sha384-x"></script>"#, .sriImplementedAndAllScriptsLoadedSecurely),
        ])
    func sri(html: String, expected: ObservatoryResult) {
        let input = observatoryInput("https://www.example.com/", headers: [("Content-Type", "text/html")], html: html)
        #expect(result(.subresourceIntegrity, input) == expected)
    }

    @Test("structured-field tokens: only a whole, valid Item whose bare item is a Token")
    func structuredFields() {
        #expect(StructuredFieldItem.token("same-origin") == "same-origin")
        #expect(StructuredFieldItem.token("  same-origin;report-to=\"a\";x=?1;n=1.5 ") == "same-origin")
        #expect(StructuredFieldItem.token("\"same-origin\"") == nil)
        #expect(StructuredFieldItem.token("same-origin, unsafe-none") == nil)
        #expect(StructuredFieldItem.token("same-origin; Report-To=a") == nil)
        #expect(StructuredFieldItem.token("42") == nil)
    }

    @Test("score: penalties always, bonuses only from 90 up, never below 0; grade bands of the corpus README")
    func scoring() {
        #expect(ObservatoryGrader.score([-5, 10, 10]) == 115)
        #expect(ObservatoryGrader.score([-15, 10]) == 85)
        #expect(ObservatoryGrader.score([-25, -25, -20, -20, -20, -5]) == 0)
        let grades = [100: "A+", 135: "A+", 99: "A", 90: "A", 89: "A-", 85: "A-", 80: "B+", 79: "B", 70: "B", 65: "B-",
            60: "C+", 50: "C", 45: "C-", 40: "D+", 30: "D", 25: "D-", 24: "F", 0: "F"]
        for (score, grade) in grades { #expect(ObservatoryGrader.grade(forScore: score) == grade, "score \(score)") }
    }

    @Test("a bare page scores like the Observatory: no CSP, HSTS, XFO, XCTO")
    func barePage() {
        let report = grader.grade(observatoryInput(headers: [("Content-Type", "text/html")], html: "<title>x</title>", httpRoute: ["http://example.com/", "https://example.com/"]))
        // -25 CSP, -20 HSTS, -20 XFO, -5 XCTO.
        #expect(report.score == 30)
        #expect(report.grade == "D")
    }
}
