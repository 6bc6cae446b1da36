import Foundation
import StageflowTestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `stageflowctl scan`, `report` and `diff` against a real `stageflow up` scanning a loopback fixture site.
@Suite("stageflowctl scan, report and diff end to end", .serialized)
struct CLIWorkflowTests {
    /// A copy of the fixture site, so a test can change a page while it is served.
    static func siteCopy() throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-site-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: FixtureSite.endToEndFixture("site")), to: copy)
        return copy
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    static func ids(_ issues: Any?) -> Set<String> {
        Set((issues as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    }

    /// The element fingerprints of a list of issues.
    static func elementIds(_ issues: Any?) -> Set<String> {
        Set((issues as? [[String: Any]] ?? []).flatMap { ($0["occurrences"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } })
    }

    static let severities = ["info", "minor", "moderate", "serious", "critical"]

    @Test("scan --wait reaches Done with a summary; report renders every format; the gate and diff work on real scans")
    func scanReportGateDiff() throws {
        let siteDirectory = try Self.siteCopy()
        defer { try? FileManager.default.removeItem(at: siteDirectory) }
        let site = try FixtureSite(directory: siteDirectory.path)
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        let urls = ["\(site.baseURL)/", "\(site.baseURL)/about/"]

        // scan --wait: plain progress lines (stdout is a pipe), then the summary.
        let first = try driver.ctl(["scan"] + urls + ["--name", "first", "--wait", "--allow-private-targets", "--timeout", "5m"])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("scanjob.stageflow.dev/first created"), "\(first)")
        #expect(first.stdout.contains("scanjobs/first: "), "\(first)")
        #expect(!first.stdout.contains("\u{1B}[2K"), "\(first)")
        #expect(first.stdout.contains("scanjob.stageflow.dev/first Done"), "\(first)")
        #expect(first.stdout.contains("(grade "), "\(first)")
        #expect(first.stdout.contains("critical, "), "\(first)")
        #expect(first.stdout.contains("report: stageflowctl report first"), "\(first)")
        #expect(first.stdout.contains("/scanjobs/first/report"), "\(first)")

        // JSON: the stored report, valid against its schema.
        let reportJSON = try driver.ctl(["report", "first", "-o", "json"])
        #expect(reportJSON.status == 0, "\(reportJSON)")
        let report = try Self.json(reportJSON.stdout)
        #expect(report["version"] as? String == "3.0.0")
        #expect(Self.elementIds(report["issues"]) == (try driver.fingerprints(uid: try driver.uid("first"))))
        #expect((report["summary"] as? [String: Any])?["score"] is Double)
        #expect(((report["summary"] as? [String: Any])?["categories"] as? [[String: Any]])?.isEmpty == false)
        let schemaErrors = try SchemaCheck.errors(reportJSON.stdout)
        #expect(schemaErrors.isEmpty, "\(schemaErrors)")

        let sarif = try driver.ctl(["report", "first", "-o", "sarif"])
        #expect(sarif.status == 0, "\(sarif)")
        #expect(try Self.json(sarif.stdout)["version"] as? String == "2.1.0")
        let junit = try driver.ctl(["report", "first", "-o", "junit"])
        #expect(junit.status == 0 && junit.stdout.contains("<testsuites"), "\(junit)")
        #expect((try? XMLDocument(xmlString: junit.stdout)) != nil, "JUnit does not parse")
        let markdown = try driver.ctl(["report", "first", "-o", "md", "--fail-on", "critical"])
        #expect(markdown.stdout.contains("## Stageflow scan:"), "\(markdown)")
        #expect(markdown.stdout.contains("Gate"), "\(markdown)")
        let htmlFile = server.dataDirectory.appendingPathComponent("first.html").path
        let html = try driver.ctl(["report", "first", "-o", "html", "--audience", "executive", "--output", htmlFile])
        #expect(html.status == 0, "\(html)")
        let htmlText = try String(contentsOfFile: htmlFile, encoding: .utf8)
        #expect(htmlText.hasPrefix("<!doctype html>"))
        #expect(htmlText.contains("id=\"tab-executive\" aria-controls=\"panel-executive\" aria-selected=\"true\""))

        // --fail-on: exit 1 at the most severe issue's level, 0 above it.
        let present = (report["issues"] as? [[String: Any]] ?? []).compactMap { $0["severity"] as? String }
        let worst = try #require(Self.severities.last { present.contains($0) })
        let failing = try driver.ctl(["report", "first", "-o", "json", "--fail-on", worst])
        #expect(failing.status == 1, "\(failing)")
        #expect(failing.stderr.contains("gate failed: "), "\(failing)")
        #expect(failing.stderr.contains("(--fail-on \(worst))"), "\(failing)")
        if let above = Self.severities.drop(while: { $0 != worst }).dropFirst().first {
            let passing = try driver.ctl(["report", "first", "-o", "json", "--fail-on", above])
            #expect(passing.status == 0, "\(passing)")
        }
        // Without a baseline every issue is new.
        #expect(try driver.ctl(["report", "first", "--fail-on-new", "info"]).status == 1)

        // Errors are one line and exit 2.
        let missing = try driver.ctl(["report", "nope"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("\"nope\""), "\(missing)")
        #expect(missing.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(missing)")
        let unknownScanner = try driver.ctl(["scan", urls[0], "--scanner", "no-such-scanner", "--wait"])
        #expect(unknownScanner.status == 2, "\(unknownScanner)")
        #expect(unknownScanner.stderr.contains("unknown scanner \"no-such-scanner\""), "\(unknownScanner)")
        let down = try run(Binaries.stageflowctl, ["--server", "http://127.0.0.1:1", "report", "first"])
        #expect(down.status == 2, "\(down)")
        #expect(down.stderr.contains("cannot reach"), "\(down)")

        // Every scanner fails (nothing answers on the port): no score anywhere, and exit 3, scan incomplete.
        let nothing = try driver.ctl(["scan", "http://127.0.0.1:1/", "--name", "nothing", "--wait", "--allow-private-targets", "--timeout", "5m"])
        #expect(nothing.status == 3, "\(nothing)")
        #expect(nothing.stderr.contains("scan incomplete: scanjobs/nothing has no score"), "\(nothing)")
        #expect(nothing.stdout.contains("  score none"), "\(nothing)")
        let nothingReport = try driver.ctl(["report", "nothing", "-o", "json"])
        #expect(nothingReport.status == 3, "\(nothingReport)")
        let scoreless = try Self.json(nothingReport.stdout)["summary"] as? [String: Any] ?? [:]
        #expect(scoreless["score"] == nil && scoreless["grade"] == nil, "\(scoreless)")
        let listed = try driver.ctl(["get", "scanjob", "nothing"])
        #expect(listed.stdout.contains("<none>"), "\(listed)")

        // The same site again, with the first scan as baseline: nothing new, nothing fixed.
        let second = try driver.ctl(["scan"] + urls + ["--name", "second", "--allow-private-targets", "--baseline", "first", "--fail-on-new", "info"])
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.contains("since baseline scanjobs/first: 0 issues with new elements, 0 fixed"), "\(second)")
        let same = try driver.ctl(["diff", "second", "--baseline", "first"])
        #expect(same.status == 0, "\(same)")
        #expect(same.stdout.hasPrefix("scanjobs/second against baseline scanjobs/first: 0 new, 0 fixed, "), "\(same)")
        #expect(try driver.fingerprints(uid: try driver.uid("second")) == (try driver.fingerprints(uid: try driver.uid("first"))))

        // Change one page: the diff is exactly the findings added and removed.
        let about = siteDirectory.appendingPathComponent("about/index.html")
        let changed = try String(contentsOf: about, encoding: .utf8)
            .replacingOccurrences(of: "<a href=\"/about/#history\">history</a>", with: "<a href=\"/about/#team\">history</a> and <a href=\"/never-written.html\">plans</a>")
        try changed.write(to: about, atomically: true, encoding: .utf8)
        let third = try driver.ctl(["scan"] + urls + ["--name", "third", "--wait", "--allow-private-targets"])
        #expect(third.status == 0, "\(third)")
        let diff = try driver.ctl(["diff", "third", "--baseline", "first", "-o", "json"])
        #expect(diff.status == 0, "\(diff)")
        let diffJSON = try Self.json(diff.stdout)
        let before = try driver.fingerprints(uid: try driver.uid("first"))
        let after = try driver.fingerprints(uid: try driver.uid("third"))
        #expect(!after.subtracting(before).isEmpty)
        #expect(!before.subtracting(after).isEmpty)
        #expect(Set(diffJSON["newElements"] as? [String] ?? []) == after.subtracting(before), "\(diff.stdout)")
        #expect(Self.elementIds(diffJSON["new"]).isSuperset(of: after.subtracting(before)), "\(diff.stdout)")
        #expect(Self.ids(diffJSON["fixed"]) == before.subtracting(after), "\(diff.stdout)")
        #expect((diffJSON["unverified"] as? [String])?.isEmpty == true, "\(diff.stdout)")
        let text = try driver.ctl(["diff", "third", "--baseline", "first"])
        #expect(text.stdout.contains("\(after.subtracting(before).count) new, \(before.subtracting(after).count) fixed"), "\(text)")
    }

    @Test("the report and artifact routes serve what the controller stored")
    func artifactRoutes() throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        let created = try driver.ctl(["scan", "\(site.baseURL)/", "--name", "routes", "--scanner", "security-headers", "--allow-private-targets"])
        #expect(created.status == 0, "\(created)")
        #expect(!created.stdout.contains("Done"), "scan without --wait does not wait: \(created)")
        #expect(try driver.waitFinished("routes") == "Done")
        let uid = try driver.uid("routes")
        let base = "\(server.url)/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs/routes"
        let report = try run("/usr/bin/curl", ["-sS"] + server.curlAuthorization + ["-w", "\n%{http_code} %{content_type}", base + "/report"])
        #expect(report.stdout.hasSuffix("200 application/json"), "\(report)")
        let stored = try Data(contentsOf: server.dataDirectory.appendingPathComponent("objects/artifacts/\(uid)/report.json"))
        #expect(report.stdout.hasPrefix(String(decoding: stored, as: UTF8.self).trimmingCharacters(in: .newlines)), "\(report)")
        let results = try run("/usr/bin/curl", ["-sS"] + server.curlAuthorization + ["-o", "/dev/null", "-w", "%{http_code} %{content_type}", base + "/artifacts/security-headers/results.json"])
        #expect(results.stdout == "200 application/json", "\(results)")
        let escape = try run("/usr/bin/curl", ["-sS"] + server.curlAuthorization + ["--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", base + "/artifacts/%2E%2E/%2E%2E/stageflow.db"])
        #expect(escape.stdout == "400", "\(escape)")
    }
}

/// Validation of report JSON against `manifests/schema/report.schema.json` with Python's `jsonschema`, as the
/// report module's tests do.
enum SchemaCheck {
    static var schemaPath: String {
        URL(fileURLWithPath: FixtureSite.endToEndFixture("site")).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("manifests/schema/report.schema.json").path
    }

    /// The validation errors, one per line (empty when valid, or when `jsonschema` is not installed).
    static func errors(_ json: String) throws -> [String] {
        guard (try? run("/usr/bin/python3", ["-c", "import jsonschema"]).status) == 0 else { return [] }
        let file = try temporaryFile("report.json", json)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            cls = jsonschema.validators.validator_for(schema)
            errors = list(cls(schema).iter_errors(json.load(open(sys.argv[2]))))
            for e in errors[:20]: print("/" + "/".join(map(str, e.absolute_path)) + ": " + e.message[:300])
            sys.exit(1 if errors else 0)
            """
        let result = try run("/usr/bin/python3", ["-c", script, schemaPath, file])
        return result.status == 0 ? [] : (result.stdout + result.stderr).split(separator: "\n").map(String.init)
    }
}
