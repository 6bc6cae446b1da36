import Foundation
import StageflowHTTP
import Testing

@testable import StageflowScanner

/// The 146 header cases of `corpus/headers/observatory-header-cases.json`, machine-extracted from the
/// Observatory's own tests (mdn/mdn-http-observatory `test/*.test.js`), turned into grader inputs.
struct ObservatoryCase: Sendable, CustomTestStringConvertible {
    var index: Int
    var testFile: String
    var line: Int
    var it: String
    var headers: [(String, String)]
    var httpEquivFile: String?
    var site: String?
    var context: String?
    var expected: String
    var modifier: Int

    var testDescription: String { "#\(index) \(testFile):\(line) \(it) → \(expected)" }

    /// The Observatory test the case's file exercises.
    var test: ObservatoryTest {
        switch testFile {
        case "csp.test.js": .contentSecurityPolicy
        case "strict-transport-security.test.js": .strictTransportSecurity
        case "x-frame-options.test.js": .xFrameOptions
        case "x-content-type-options.test.js": .xContentTypeOptions
        case "referrer-policy.test.js": .referrerPolicy
        case "cross-origin-opener-policy.test.js": .crossOriginOpenerPolicy
        case "cross-origin-embedder-policy.test.js": .crossOriginEmbedderPolicy
        default: .crossOriginResourcePolicy
        }
    }

    /// Cases whose `expected` the extraction got wrong: the upstream test asserts `notEqual(result,
    /// CspHeaderInvalid)` and the extractor read it as `equal` (mdn/mdn-http-observatory `test/csp.test.js`,
    /// the tests "multiple CSP headers combined per RFC 9110 are not treated as invalid" at line 499 and
    /// "multiple CSP headers with differing policies produce correct intersection" at line 525, which also
    /// assert `pass` is true and a policy of `default-src 'none'`). They are checked against that assertion
    /// instead of the extracted slug.
    var isMisExtracted: Bool {
        testFile == "csp.test.js" && (line == 499 || line == 525)
    }

    /// The grader input the case describes: the upstream tests' site (`mozilla.org` over HTTPS unless the
    /// case says otherwise), its headers (a list is repeated header lines), its `<meta http-equiv>` page.
    func input(preloadList: HSTSPreloadList) throws -> ObservatoryInput {
        let secure = !(context ?? "").contains("HTTPS response absent")
        let url = WebAddress("\(secure ? "https" : "http")://\(site ?? "mozilla.org")/")!
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name, value) }
        let document = try httpEquivFile.map { file in
            HTMLDocument(
                html: try String(
                    contentsOf: TestPaths.corpus.appendingPathComponent("headers/files/\(file)"), encoding: .utf8))
        }
        return ObservatoryInput(
            url: url, headers: fields, document: document, tlsVerified: !(context ?? "").contains("unverified TLS"),
            preloadList: preloadList)
    }
}

enum ObservatoryCorpus {
    static let isAvailable = TestPaths.exists(TestPaths.headerCases)

    /// Every case, or none when the corpus is absent.
    static let cases: [ObservatoryCase] = {
        guard isAvailable, let data = try? Data(contentsOf: TestPaths.headerCases),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let list = root["cases"] as? [[String: Any]]
        else { return [] }
        return list.enumerated().map { index, item in
            var headers: [(String, String)] = []
            for (name, value) in (item["headers"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let values = value as? [String] {
                    headers += values.map { (name, $0) }
                } else if let value = value as? String {
                    headers.append((name, value))
                }
            }
            return ObservatoryCase(
                index: index, testFile: item["test"] as? String ?? "", line: item["line"] as? Int ?? 0,
                it: item["it"] as? String ?? "", headers: headers, httpEquivFile: item["http_equiv_file"] as? String,
                site: item["site"] as? String, context: item["context"] as? String, expected: item["slug"] as? String ?? "",
                modifier: item["modifier"] as? Int ?? 0)
        }
    }()

    /// The HSTS preload list entries the upstream preload tests rely on, as Chromium's list has them:
    /// bugzilla.mozilla.org (HSTS with subdomains), facebook.com (HSTS, no subdomains), and
    /// dropboxusercontent.com (a pinning-only entry without `mode`, so not preloaded for HSTS).
    static let preloadList: HSTSPreloadList = {
        let json = """
            // A few entries of transport_security_state_static.json.
            { "entries": [
              { "name": "bugzilla.mozilla.org", "policy": "custom", "mode": "force-https", "include_subdomains": true, "pins": "mozilla" },
              { "name": "facebook.com", "policy": "custom", "mode": "force-https", "pins": "facebook", "include_subdomains_for_pinning": true },
              { "name": "dropboxusercontent.com", "policy": "custom", "pins": "dropbox", "include_subdomains_for_pinning": true }
            ] }
            """
        return try! HSTSPreloadList(data: Data(json.utf8))
    }()
}
