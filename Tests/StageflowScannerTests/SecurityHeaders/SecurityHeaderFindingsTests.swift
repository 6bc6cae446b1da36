import StageflowAPI
import StageflowHTTP
import StageflowReport
import Testing

@testable import StageflowScanner

@Suite("security-headers findings")
struct SecurityHeaderFindingsTests {
    @Test("severity follows the score modifier")
    func severities() {
        #expect(SecurityHeaderFindings.severity(forModifier: -50) == .serious)
        #expect(SecurityHeaderFindings.severity(forModifier: -20) == .serious)
        #expect(SecurityHeaderFindings.severity(forModifier: -10) == .moderate)
        #expect(SecurityHeaderFindings.severity(forModifier: -5) == .minor)
        #expect(SecurityHeaderFindings.severity(forModifier: 0) == .info)
    }

    @Test("failures become findings named by result slug, each naming its Observatory test as the check; passes do not")
    func findingsOfABarePage() throws {
        let input = observatoryInput(headers: [("Content-Type", "text/html")], html: "<title>x</title>")
        let report = ObservatoryGrader().grade(input)
        let findings = SecurityHeaderFindings.findings(
            for: report, page: "https://example.com/", headers: input.headers, isSecure: true)
        let byRule = Dictionary(findings.map { ($0.ruleId, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byRule["csp-not-implemented"]?.severity == .serious)
        #expect(byRule["csp-not-implemented"]?.severityRaw == "-25")
        #expect(byRule["hsts-not-implemented"]?.severity == .serious)
        #expect(byRule["x-frame-options-not-implemented"]?.severity == .serious)
        #expect(byRule["x-content-type-options-not-implemented"]?.severity == .minor)
        #expect(byRule["referrer-policy-not-implemented"]?.severity == .info)
        #expect(byRule["permissions-policy-not-implemented"]?.severity == .info)
        #expect(byRule["cookies-not-found"] == nil)
        #expect(byRule["sri-not-implemented-but-no-scripts-loaded"] == nil)
        #expect(byRule["observatory-score"] == nil, "a score is not an issue")
        #expect(byRule["csp-not-implemented"]?.check == "content-security-policy")
        #expect(byRule["csp-not-implemented"]?.standards?.first?.kind == .observatory)
        #expect(byRule["hsts-not-implemented"]?.standards?.contains { $0.kind == .rfc && $0.id == "6797" } == true)
        #expect(findings.allSatisfy { $0.selector == nil && $0.url == "https://example.com/" && $0.category == .security })
        // Every check the findings name is declared, with an impact for the score.
        let declared = Set(SecurityHeaderChecks.descriptors.map(\.id))
        #expect(findings.allSatisfy { declared.contains($0.scoredRule) })
        let checks = SecurityHeaderChecks.applicability(report, isSecure: true, checkedRedirection: true, checkedCORS: true)
        #expect(Set(checks.checked) == declared)
        #expect(checks.inapplicable.contains("csp-object-src-missing"), "no policy, so nothing for the CSP supplements to check")
    }

    @Test("a strong configuration leaves no finding")
    func strongHeaders() {
        let headers: [(String, String)] = [
            ("Content-Type", "text/html"),
            ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
            ("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),
            ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"), ("Permissions-Policy", "camera=()"),
            ("Cross-Origin-Resource-Policy", "same-origin"), ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Embedder-Policy", "require-corp"),
        ]
        let input = observatoryInput(headers: headers, html: "<title>x</title>", httpRoute: ["http://example.com/", "https://example.com/"])
        let report = ObservatoryGrader().grade(input)
        #expect(report.score == 150)
        #expect(report.grade == "A+")
        let findings = SecurityHeaderFindings.findings(for: report, page: "https://example.com/", headers: input.headers, isSecure: true)
        #expect(findings.map(\.ruleId) == [])
    }

    @Test("the manifest's severity mapping re-grades by raw severity")
    func mapping() {
        let finding = ScannerFinding(
            ruleId: "x-content-type-options-not-implemented", title: "t", message: "m", severity: .minor,
            severityRaw: "-5", url: "https://example.com/")
        let mapped = SeverityMapping(["-5": .moderate]).apply(to: [finding])
        #expect(mapped[0].severity == .moderate)
        #expect(SeverityMapping(["ERROR": .serious]).severity(forRaw: "error") == .serious)
        #expect(SeverityMapping(nil).apply(to: [finding]) == [finding])
    }
}
