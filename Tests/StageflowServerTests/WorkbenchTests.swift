import Foundation
import Hummingbird
import HummingbirdTesting
import StageflowAPI
import StageflowObjectStore
import StageflowReport
import StageflowStore
import Testing

@testable import StageflowServer

/// A scanner manifest with a configSchema of every shape the playground turns into a control.
func configurableScanner() -> JSONValue {
    [
        "apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner", "metadata": ["name": "configurable"],
        "spec": [
            "id": "configurable", "version": "1.0.0", "displayName": "Configurable", "entry": ["builtin": "configurable"],
            "configSchema": [
                "type": "object",
                "properties": [
                    "followRedirects": ["type": "boolean", "default": true, "description": "Follow redirects."],
                    "maxPages": ["type": "integer", "minimum": 1, "maximum": 50],
                    "userAgent": ["type": "string"],
                    "level": ["type": "string", "enum": ["AA", "AAA"]],
                    "ignore": ["type": "array", "items": ["type": "string"]],
                ],
            ],
        ],
    ]
}

@Suite("Web workbench pages")
struct WorkbenchTests {
    static let html = "text/html,application/xhtml+xml"

    func form(_ fields: [(String, String)]) -> String {
        fields.map { name, value in
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            return "\(name.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }

    @Test("the configSchema becomes a form: checkbox, number with bounds, text, select, lines; values back into config")
    func configForm() throws {
        let form = ConfigSchemaForm(scanner: "configurable", configSchema: configurableScanner()[path: ["spec", "configSchema"]])
        let controls = Dictionary(uniqueKeysWithValues: form.fields.map { ($0.property, $0.control) })
        #expect(controls["followRedirects"] == .checkbox)
        #expect(controls["maxPages"] == .integer(minimum: 1, maximum: 50))
        #expect(controls["userAgent"] == .text)
        #expect(controls["level"] == .select(options: ["AA", "AAA"]))
        #expect(controls["ignore"] == .lines)
        #expect(form.fields.first { $0.property == "followRedirects" }?.defaultValue == "true")

        let config = try form.config(
            from: [
                "config.configurable.maxPages": ["7"], "config.configurable.level": ["AAA"],
                "config.configurable.ignore": ["/admin\n\n /private \n"],
            ], index: 0)
        #expect(config == ["followRedirects": false, "maxPages": 7, "level": "AAA", "ignore": ["/admin", "/private"]])
        #expect(try form.config(from: ["config.configurable.followRedirects": ["true"]], index: 0) == nil)

        #expect {
            try form.config(from: ["config.configurable.maxPages": ["many"], "config.configurable.followRedirects": ["true"]], index: 2)
        } throws: { error in
            let problems = (error as? ConfigSchemaForm.InvalidValues)?.problems ?? []
            return problems.map(\.field) == ["spec.scanners[2].config.maxPages"] && problems[0].elementID == "config-configurable-maxPages"
        }
        #expect(throws: ConfigSchemaForm.InvalidValues.self) {
            try form.config(from: ["config.configurable.maxPages": ["99"], "config.configurable.followRedirects": ["true"]], index: 0)
        }
    }

    @Test("the playground lists the registered scanners with their option forms; kubectl still gets the API root at /")
    func playground() async throws {
        try await withServer(registeredScanners: [scannerManifest("axe"), configurableScanner()]) { server in
            let page = try await server.client.send(.get, "/", accept: Self.html)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let text = page.text
            #expect(text.contains("<main id=\"main\""))
            #expect(text.contains("id=\"scanner-axe\""))
            #expect(text.contains("<input type=\"number\" id=\"config-configurable-maxPages\""))
            #expect(text.contains("min=\"1\"") && text.contains("max=\"50\""))
            #expect(text.contains("<select id=\"config-configurable-level\""))
            #expect(text.contains("<textarea id=\"config-configurable-ignore\""))
            #expect(text.contains("action=\"/api/v1/jobs/zip\""))
            let api = try await server.client.send(.get, "/")
            #expect(api.json["paths"] != nil)
            let script = try await server.client.send(.get, "/assets/workbench.js")
            #expect(script.status == .ok && script.text.contains("EventSource"))
        }
    }

    @Test("a submitted URL job is created through admission and leads to its status page; errors come back on the form by field")
    func submit() async throws {
        try await withServer(registeredScanners: [scannerManifest("axe"), configurableScanner()]) { server in
            let csrf = try WorkbenchForms.csrf(in: try await server.client.send(.get, "/", accept: Self.html).text)
            let expired = try await server.client.send(
                .post, "/", text: form([("urls", "https://example.com/"), ("scanner", "axe"), ("namespace", "default")]),
                contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(expired.status == .forbidden, "a form without the page's CSRF token is refused")
            let bad = try await server.client.send(
                .post, "/", text: form([("csrf", csrf), ("urls", "not a url"), ("scanner", "configurable"), ("config.configurable.maxPages", "many"), ("namespace", "default")]),
                contentType: "application/x-www-form-urlencoded", accept: Self.html)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("spec.scanners[0].config.maxPages"))
            #expect(bad.text.contains("href=\"#config-configurable-maxPages\""))
            #expect(bad.text.contains(">not a url</textarea>"))

            let invalidURL = try await server.client.send(
                .post, "/", text: form([("csrf", csrf), ("urls", "ftp://example.com/"), ("scanner", "axe"), ("namespace", "default")]),
                contentType: "application/x-www-form-urlencoded")
            #expect(invalidURL.status == .unprocessableContent)
            #expect(invalidURL.text.contains("spec.target.urls"), "\(invalidURL.text)")
            #expect(invalidURL.text.contains("href=\"#urls\""))

            let good = try await server.client.send(
                .post, "/",
                text: form([
                    ("csrf", csrf), ("urls", "https://example.com/\r\nhttps://example.com/about"), ("scanner", "configurable"),
                    ("config.configurable.maxPages", "5"), ("config.configurable.followRedirects", "true"), ("namespace", "default"),
                    ("name", "from-form"),
                ]),
                contentType: "application/x-www-form-urlencoded")
            #expect(good.status == .seeOther)
            #expect(good.headers[.location] == "/scans/default/from-form")
            let created = try await server.store.get(.scanJob, namespace: "default", name: "from-form")
            #expect(created[path: ["spec", "target", "urls"]] == ["https://example.com/", "https://example.com/about"])
            #expect(created[path: ["spec", "scanners"]] == [["name": "configurable", "config": ["maxPages": 5]]])

            let status = try await server.client.send(.get, "/scans/default/from-form")
            #expect(status.status == .ok)
            #expect(status.text.contains("data-phase="))
            #expect(status.text.contains("/api/v1/jobs/\(created[path: ["metadata", "uid"]]?.stringValue ?? "")/stream"))
            let scans = try await server.client.send(.get, "/scans")
            #expect(scans.text.contains("from-form"))
            #expect(try await server.client.send(.get, "/scans/default/missing").status == .notFound)
        }
    }

    @Test("the report page shows score, filters, tabs, evidence boxes and the baseline diff; artifacts stay within the job's prefix")
    func reportAndArtifacts() async throws {
        let objects = MemoryObjectStore()
        try await withServer(configuration: APIServerConfiguration(port: 0, objectStore: objects)) { server in
            let baseline = try await server.client.createScanJob(scanJob("before"))
            var spec = scanJob("after")
            spec[path: "spec", "baselineRef"] = ["name": "before"]
            let job = try await server.client.createScanJob(spec)
            let uid = try #require(job[path: ["metadata", "uid"]]?.stringValue)
            let otherUID = try #require(baseline[path: ["metadata", "uid"]]?.stringValue)
            let shotKey = try ObjectKeys.screenshot(jobUID: uid, scanner: "axe", pageID: "p1")
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
            try await objects.put(shotKey, data: png, contentType: "image/png")
            try await objects.put(try ObjectKeys.reportJSON(jobUID: otherUID), data: Data("{}".utf8), contentType: nil)
            let issue = Issue(
                id: "fp1", pageId: "p1", url: "https://example.com/", scanner: "axe", ruleId: "image-alt", title: "Images need alt text",
                message: "An image has no alt.", severity: .serious,
                occurrences: [Occurrence(selector: "img.hero", boundingBox: BoundingBox(x: 10, y: 20, width: 100, height: 50))])
            let report = Report(
                status: .complete,
                meta: ReportMeta(jobId: uid, baseUrl: "https://example.com/", scannedAt: "2026-01-01T00:00:00Z", completedAt: "2026-01-01T00:01:00Z", durationMs: 60000),
                summary: ReportSummary(
                    score: 87, grade: "B", partial: true, scoreNote: "Partial score over Accessibility: Links has no score (link-checker failed: boom).",
                    categories: [
                        CategoryScore(id: .accessibility, status: .scored, score: 87, grade: "B", scanners: ["axe"]),
                        CategoryScore(id: .links, status: .failed, reason: "link-checker failed: boom", scanners: ["link-checker"]),
                    ],
                    totalIssues: 1, needsReview: 1, bySeverity: SeverityCounts(serious: 1), byScanner: ["axe": 1], pagesScanned: 1,
                    pagesWithIssues: 1),
                scanners: [ScannerReport(id: "axe", status: .success, toolVersion: "axe-core 4.10", priority: 1, findings: 1, issues: 1, pagesScanned: 1)],
                pages: [
                    PageReport(
                        id: "p1", url: "https://example.com/", title: "Home", httpStatus: 200,
                        screenshot: ScreenshotReference(key: shotKey, width: 1000, height: 500), scanners: ["axe"], issueCount: 1,
                        bySeverity: SeverityCounts(serious: 1),
                        issueBoxes: [IssueBox(issueId: "fp1", severity: .serious, boundingBox: BoundingBox(x: 10, y: 20, width: 100, height: 50))])
                ],
                issues: [issue],
                needsReview: [
                    Issue(
                        id: "fp2", pageId: "p1", url: "https://example.com/", scanner: "axe", ruleId: "color-contrast", category: .accessibility,
                        outcome: .needsReview, title: "Text contrast over an image", message: "Cannot tell.", severity: .serious)
                ],
                artifacts: [Artifact(key: shotKey, kind: "screenshot", scanner: "axe")], errors: [],
                diff: ReportDiff(
                    baselineJobId: otherUID, baselineScore: 80,
                    new: ["fp1"], unchanged: [], fixed: [], unverified: []))
            try await objects.put(try ObjectKeys.reportJSON(jobUID: uid), data: try report.jsonData(), contentType: "application/json")

            let page = try await server.client.send(.get, "/scans/default/after/report")
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("id=\"score\">87<"))
            #expect(text.contains("data-severity=\"serious\" data-scanner=\"axe\" data-page=\"p1\" data-rule=\"image-alt\" data-new=\"true\""))
            #expect(text.contains("role=\"tablist\""))
            #expect(text.contains("left:1.000%;top:4.000%;width:10.000%;height:10.000%"))
            #expect(text.contains("src=\"/scans/default/after/artifacts/axe/screenshots/p1.png\""))
            #expect(text.contains("Compared with before"))
            // Category scores, the partial score's reason, and what needs review, apart from the issues.
            #expect(text.contains("Score by category"))
            #expect(text.contains("link-checker failed: boom"))
            #expect(text.contains(" · partial"))
            #expect(text.contains("Needs review (1)"))
            #expect(text.contains("Text contrast over an image"))
            #expect(text.contains("<option value=\"wcag22aa\">"))

            let shot = try await server.client.send(.get, "/scans/default/after/artifacts/axe/screenshots/p1.png")
            #expect(shot.status == .ok)
            #expect(shot.headers[.contentType] == "image/png")
            #expect(Data(shot.body.readableBytesView) == png)
            // Nothing outside the job's own prefix: not another job's objects, not through `..`.
            let escape = try await server.client.send(.get, "/scans/default/after/artifacts/..%2F\(otherUID)%2Freport.json")
            #expect(escape.status == .badRequest)
            let dotted = try await server.client.send(.get, "/scans/default/after/artifacts/axe/../../\(otherUID)/report.json")
            #expect(dotted.status != .ok)
            #expect(try await server.client.send(.get, "/scans/default/after/artifacts/none.png").status == .notFound)

            let noReport = try await server.client.send(.get, "/scans/default/before/report")
            #expect(noReport.status == .ok)
        }
    }

    @Test("the job stream sends a snapshot, keepalives and changes; a reconnect with Last-Event-ID gets only what it missed")
    func jobStream() async throws {
        let configuration = APIServerConfiguration(port: 0, sseKeepaliveInterval: .milliseconds(200))
        try await withServer(.live, configuration: configuration) { server in
            let port = try #require(server.client.port)
            let job = try await server.client.createScanJob(scanJob("streamed"))
            let uid = try #require(job[path: ["metadata", "uid"]]?.stringValue)
            let connection = try RawConnection(port: port)
            connection.send("GET /api/v1/jobs/\(uid)/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            let head = await connection.read(until: "event: snapshot", timeout: .seconds(10))
            #expect(head.lowercased().contains("content-type: text/event-stream"))
            #expect(await connection.read(until: ": keepalive", timeout: .seconds(10)).contains(": keepalive"))

            var updated = job
            updated[path: "status"] = ["phase": "Scanning"]
            let written = try await server.store.update(.scanJob, updated, subresource: .status)
            let revision = try #require(written.resourceVersion)
            let change = await connection.read(until: "\"Scanning\"", timeout: .seconds(10))
            #expect(change.contains("id: \(revision)\nevent: modified"))
            connection.hangUp()

            var again = written
            again[path: "status"] = ["phase": "Completing"]
            _ = try await server.store.update(.scanJob, again, subresource: .status)
            let reconnect = try RawConnection(port: port)
            reconnect.send("GET /api/v1/jobs/\(uid)/stream HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: \(revision)\r\n\r\n")
            let missed = await reconnect.read(until: "\"Completing\"", timeout: .seconds(10))
            #expect(missed.contains("event: modified"))
            #expect(!missed.contains("event: snapshot"))
            reconnect.hangUp()

            let unknown = try await server.client.send(.get, "/api/v1/jobs/no-such-uid/stream")
            #expect(unknown.status == .notFound)
        }
    }
}

@Suite("Web paths")
struct WebTargetTests {
    @Test("workbench and stream paths are told apart from the API's own")
    func parse() {
        #expect(WebTarget(path: "/", acceptsHTML: true) == .playground)
        #expect(WebTarget(path: "/", acceptsHTML: false) == nil)
        #expect(WebTarget(path: "/scans", acceptsHTML: false) == .scans)
        #expect(WebTarget(path: "/scans/team/nightly", acceptsHTML: true) == .status(namespace: "team", name: "nightly"))
        #expect(WebTarget(path: "/scans/team/nightly/report", acceptsHTML: true) == .report(namespace: "team", name: "nightly"))
        #expect(
            WebTarget(path: "/scans/team/nightly/artifacts/axe/screenshots/p.png", acceptsHTML: true)
                == .artifact(namespace: "team", name: "nightly", key: "axe/screenshots/p.png"))
        #expect(WebTarget(path: "/api/v1/jobs/stream", acceptsHTML: false) == .stream(.all))
        #expect(WebTarget(path: "/api/v1/jobs/abc-123/stream", acceptsHTML: false) == .stream(.job(uid: "abc-123")))
        #expect(WebTarget(path: "/api/v1/namespaces/team/jobs/stream", acceptsHTML: false) == .stream(.namespace("team")))
        #expect(WebTarget(path: "/api/v1/jobs/zip", acceptsHTML: false) == nil)
        #expect(WebTarget(path: "/apis/stageflow.dev/v1alpha1/scanjobs", acceptsHTML: true) == nil)
    }
}
