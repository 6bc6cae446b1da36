import Foundation
import StageflowHTTP
import StageflowReport

/// Grades one fetched page: runs the probes the Observatory needs (the page over plain HTTP, a request with
/// a foreign `Origin`), grades, and builds the findings and the evidence record.
struct PageGrading: Sendable {
    var fetcher: PageFetcher
    var timeout: Duration
    var checkRedirection: Bool
    var checkCORS: Bool
    var preloadList: HSTSPreloadList

    /// A graded page.
    struct Graded: Sendable {
        var findings: [ScannerFinding]
        var evidence: PageEvidence
        /// The checks made on the page, and those that did not apply (see ``SecurityHeaderChecks``).
        var checked: [String]
        var inapplicable: [String]
    }

    /// What `evidence/<page-id>.json` holds: the response the grade is based on, and every verdict.
    struct PageEvidence: Encodable, Sendable {
        var url: String
        var finalURL: String
        var status: Int?
        var tlsVerified: Bool
        var redirects: [FetchHop]
        var headers: [[String]]
        var httpRoute: [String]?
        var corsProbe: [String: String]?
        var score: Int
        var grade: String
        var tests: [ObservatoryOutcome]
    }

    /// Grades a page; `nil` when it has no successful response to grade (its errors say why).
    func grade(_ page: CrawledPage) async throws -> Graded? {
        guard let fetch = page.fetch, fetch.failure == nil, let status = fetch.status, (200..<400).contains(status)
        else { return nil }
        var setCookies = fetch.setCookies
        var route: [String]?
        var routeVerified = true
        if checkRedirection {
            let probe = try await httpProbe(fetch)
            route = probe?.hops.map(\.url)
            routeVerified = probe?.tlsVerified ?? true
            if route?.isEmpty == true { route = nil }
            setCookies += probe?.setCookies ?? []
        }
        var cors: ObservatoryInput.CORSProbe?
        if checkCORS {
            var headers = HTTPHeaders()
            headers.add("Origin", SecurityHeadersScanner.probeOrigin)
            let probe = try await fetcher.fetch(
                FetchRequest(
                    fetch.final, headers: headers, timeout: timeout, maxRedirects: 0, readsBody: PageFetcher.noBodies,
                    retriesUnverifiedTLS: true))
            if probe.failure == nil {
                cors = ObservatoryInput.CORSProbe(origin: SecurityHeadersScanner.probeOrigin, headers: probe.headers)
                setCookies += probe.setCookies
            }
        }
        let input = ObservatoryInput(
            url: fetch.final, headers: fetch.headers, document: page.document, tlsVerified: fetch.tlsVerified,
            setCookies: setCookies, httpRoute: route, httpRouteVerified: routeVerified, corsProbe: cors,
            preloadList: preloadList)
        let report = ObservatoryGrader().grade(input)
        let findings = SecurityHeaderFindings.findings(
            for: report, page: page.url, headers: fetch.headers, isSecure: fetch.final.isSecure)
        let evidence = PageEvidence(
            url: page.url, finalURL: fetch.final.key, status: fetch.status, tlsVerified: fetch.tlsVerified,
            redirects: fetch.redirects, headers: fetch.headers.map { [$0.name, $0.value] }, httpRoute: route,
            corsProbe: cors.map { probe in
                ["origin": probe.origin, "access-control-allow-origin": probe.headers["Access-Control-Allow-Origin"] ?? ""]
            },
            score: report.score, grade: report.grade, tests: report.outcomes)
        let checks = SecurityHeaderChecks.applicability(
            report, isSecure: fetch.final.isSecure, checkedRedirection: checkRedirection, checkedCORS: checkCORS && cors != nil)
        return Graded(findings: findings, evidence: evidence, checked: checks.checked, inapplicable: checks.inapplicable)
    }

    /// The page requested over plain HTTP (its own fetch when it was requested that way); `nil` when plain
    /// HTTP gave no response at all.
    private func httpProbe(_ fetch: FetchResult) async throws -> FetchResult? {
        if !fetch.requested.isSecure { return fetch }
        guard var components = URLComponents(url: fetch.requested.url, resolvingAgainstBaseURL: false) else { return nil }
        components.scheme = "http"
        guard let url = components.url, let address = WebAddress(absolute: url) else { return nil }
        let probe = try await fetcher.fetch(
            FetchRequest(address, timeout: timeout, readsBody: PageFetcher.noBodies, retriesUnverifiedTLS: true))
        return probe.hops.isEmpty ? nil : probe
    }
}
