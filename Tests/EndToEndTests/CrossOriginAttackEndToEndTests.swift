import Foundation
import StageflowAPI
import StageflowScanner
import StageflowTestSupport
import Testing

/// The attack the security review made against a default `stageflow up`: a page on another origin, opened in
/// the operator's signed-in browser, tries to create a ScanJob, an exec Scanner, a playground job and an upload
/// (no-cors fetches, form posts), and a rebinding name tries to reach the API as if it were the page's own
/// origin. Nothing may change.
@Suite("Cross-origin attacks on a default stageflow up", .serialized)
struct CrossOriginAttackEndToEndTests {
    static func attackPage(server: String) -> String {
        """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>attack</title></head>
            <body>
            <iframe name="sink" title="sink"></iframe>
            <form id="playground" action="\(server)/" method="post" target="sink">
              <input name="urls" value="http://127.0.0.1:1/"><input name="scanner" value="link-checker">
              <input name="namespace" value="default"><input name="name" value="planted-form">
              <input name="allowPrivateTargets" value="on">
            </form>
            <form id="jobs" action="\(server)/api/v1/jobs/urls" method="post" target="sink" enctype="text/plain">
              <input name='{"urls":["https://example.com/"],"scanners":["link-checker"],"x":"' value='"}'>
            </form>
            <form id="upload" action="\(server)/api/v1/jobs/zip" method="post" target="sink" enctype="multipart/form-data">
              <input name="scanners" value="link-checker"><input type="file" name="file">
            </form>
            <script src="attack.js"></script>
            </body></html>
            """
    }

    static func attackScript(server: String) -> String {
        let job = #"{"apiVersion":"stageflow.dev/v1alpha1","kind":"ScanJob","metadata":{"name":"planted"},"spec":{"target":{"urls":["https://example.com/"]},"scanners":[{"name":"link-checker"}]}}"#
        let scanner = #"{"apiVersion":"stageflow.dev/v1alpha1","kind":"Scanner","metadata":{"name":"owned"},"spec":{"id":"owned","version":"1.0.0","entry":{"command":["/bin/sh","-c","touch /tmp/stageflow-owned"]}}}"#
        return """
            (function () {
              var server = "\(server)";
              var attempts = [];
              function send(path, body, init) {
                var options = Object.assign({ method: "POST", mode: "no-cors", credentials: "include", body: body }, init || {});
                attempts.push(fetch(server + path, options).then(function () { return "sent"; }, function (e) { return "failed: " + e; }));
              }
              send("/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs", new Blob(['\(job)']));
              send("/apis/stageflow.dev/v1alpha1/scanners", new Blob(['\(scanner)']));
              send("/apis/stageflow.dev/v1alpha1/scanners", '\(scanner)');
              send("/api/v1/jobs/urls", new Blob(['{"urls":["https://example.com/"],"scanners":["link-checker"]}']));
              attempts.push(fetch(server + "/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs", {
                method: "POST", mode: "cors", credentials: "include", headers: { "Content-Type": "application/json" }, body: '\(job)'
              }).then(function () { return "cors sent"; }, function (e) { return "cors failed: " + e; }));
              document.getElementById("playground").submit();
              setTimeout(function () { document.getElementById("jobs").submit(); }, 300);
              setTimeout(function () { document.getElementById("upload").submit(); }, 600);
              Promise.all(attempts).then(function (results) {
                setTimeout(function () { document.title = "done: " + results.join("; "); }, 1500);
              });
            })();
            """
    }

    @Test("a signed-in browser on an attacker's page changes nothing; a rebinding name is refused; no token, no answer")
    func attack() async throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let attacker = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-attacker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: attacker, withIntermediateDirectories: true)
        try Self.attackPage(server: server.url).write(to: attacker.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try Self.attackScript(server: server.url).write(to: attacker.appendingPathComponent("attack.js"), atomically: true, encoding: .utf8)
        let site = try FixtureSite(directory: attacker.path)
        defer { site.stop() }
        let port = try #require(URL(string: server.url)?.port)

        let browser = try await ChromiumBrowser.launch(extraArguments: ["--host-resolver-rules=MAP rebind.test 127.0.0.1"])
        do {
            let tab = try await browser.openTab(TabOptions(width: 1280, height: 900))
            // The operator is signed in: the session cookie is in this browser context.
            let signedIn = try await tab.load(try #require(server.signInURL), timeout: .seconds(30))
            #expect(signedIn.page?.finalURL == server.url + "/")
            let attack = try await tab.load(site.baseURL + "/", timeout: .seconds(30))
            #expect(attack.page != nil, "\(attack.errors)")
            var title = ""
            for _ in 0..<100 {
                title = try await tab.evaluate("document.title").stringValue ?? ""
                if title.hasPrefix("done") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(title.hasPrefix("done"), "the attack page did not finish: \(title)")
            print("attack page: \(title)")
            // A rebinding name reaches the server's address but is not the server's name.
            let rebound = try await tab.load("http://rebind.test:\(port)/scans", timeout: .seconds(30))
            #expect(rebound.page?.status == 421, "\(String(describing: rebound.page?.status))")
            await tab.close()
        } catch {
            await browser.close()
            throw error
        }
        await browser.close()

        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        let jobs = try driver.ctl(["get", "scanjobs", "-A", "-o", "name"])
        #expect(jobs.status == 0, "\(jobs)")
        #expect(jobs.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "jobs were created: \(jobs.stdout)")
        let scanners = try driver.ctl(["get", "scanners", "-o", "name"])
        #expect(!scanners.stdout.contains("owned"), "\(scanners.stdout)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/stageflow-owned"))

        // Without credentials, nothing answers but the probes.
        let anonymous = try run(
            "/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/apis/stageflow.dev/v1alpha1/scanjobs"])
        #expect(anonymous.stdout == "401", "\(anonymous)")
        let live = try run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/livez"])
        #expect(live.stdout == "200")
    }
}
