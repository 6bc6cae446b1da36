import Foundation
import Logging
import StageflowAPI
import StageflowScanner
import StageflowTestSupport
import Testing

/// The web workbench in real headless Chromium against `stageflow up`: a URL scan submitted through the
/// playground form, watched live until Done, its report filtered and a page's evidence opened; then the
/// workbench's own pages scanned by Stageflow's axe scanner. Screenshots go to `.build/test-artifacts/web/`.
@Suite("Web workbench end to end", .serialized)
struct WebWorkbenchEndToEndTests {
    static let isAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
        && FileManager.default.fileExists(atPath: "/usr/local/share/stageflow/axe/axe.min.js")

    /// Collects uncaught errors, rejected promises and `console.error` calls of every document.
    static let errorCollector = """
        window.__stageflowErrors = [];
        window.addEventListener('error', function (e) { window.__stageflowErrors.push('error: ' + e.message); });
        window.addEventListener('unhandledrejection', function (e) { window.__stageflowErrors.push('rejection: ' + String(e.reason)); });
        (function () { var original = console.error; console.error = function () {
          window.__stageflowErrors.push('console: ' + Array.prototype.join.call(arguments, ' ')); return original.apply(console, arguments); }; })();
        """

    static let artifacts = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/test-artifacts/web")

    func keep(_ tab: any LoadingTab, _ name: String) async throws {
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let shot = try await tab.screenshot(maxHeight: 3000)
        try shot.png.write(to: Self.artifacts.appendingPathComponent("\(name).png"))
    }

    /// Evaluates until the page (perhaps still navigating) answers, then returns the value.
    func poll(_ tab: any LoadingTab, _ expression: String, seconds: Double, until done: (JSONValue) -> Bool) async -> JSONValue? {
        let deadline = Date().addingTimeInterval(seconds)
        var last: JSONValue?
        while Date() < deadline {
            if let value = try? await tab.evaluate(expression) {
                last = value
                if done(value) { return value }
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    func collectedErrors(_ tab: any LoadingTab) async throws -> [String] {
        (try await tab.evaluate("JSON.stringify(window.__stageflowErrors || ['no collector'])").stringValue)
            .flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? ["unreadable"]
    }

    @Test(
        "submit a URL scan in the playground, watch it live until Done, filter the report, open a page's evidence; axe finds nothing serious",
        .enabled(if: isAvailable, "needs Debian's chromium and axe.min.js (scripts/install-dependencies)"))
    func workbench() async throws {
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(extraArguments: ["--allow-private-targets"])
        defer { _ = server.stop() }
        let browser = try await ChromiumBrowser.launch()
        do {
            try await drive(browser: browser, server: server, site: site.baseURL)
        } catch {
            await browser.close()
            throw error
        }
        await browser.close()
    }

    private func drive(browser: ChromiumBrowser, server up: StageflowUp, site: String) async throws {
        let server = up.url
        let tab = try await browser.openTab(TabOptions(width: 1280, height: 900, documentStartScripts: [Self.errorCollector]))
        defer { Task { await tab.close() } }

        // Signed out, the workbench sends the browser to sign in; the one-time link from `stageflow up` signs in.
        let signedOut = try await tab.load(server + "/scans", timeout: .seconds(30))
        #expect(signedOut.page?.finalURL.contains("/login?next=") == true, "\(String(describing: signedOut.page?.finalURL))")
        let signInURL = try #require(up.signInURL, "stageflow up printed no sign-in link")
        let signedIn = try await tab.load(signInURL, timeout: .seconds(30))
        #expect(signedIn.page?.finalURL == server + "/", "\(String(describing: signedIn.page?.finalURL))")

        // The playground.
        let playground = try await tab.load(server + "/", timeout: .seconds(30))
        #expect(playground.page != nil, "\(playground.errors)")
        #expect(playground.scriptErrors.isEmpty, "\(playground.scriptErrors)")
        let scanners = try await tab.evaluate("Array.from(document.querySelectorAll('input[name=scanner]')).map(function (b) { return b.value; }).join(',')")
        #expect(scanners.stringValue?.contains("security-headers") == true, "\(scanners)")
        try await keep(tab, "playground")

        // The ZIP field posts to the intake route; where this server has none, the form says so.
        _ = try await tab.evaluate(
            """
            (function () {
              var transfer = new DataTransfer();
              transfer.items.add(new File(['PK'], 'site.zip', { type: 'application/zip' }));
              document.getElementById('zip-file').files = transfer.files;
              document.getElementById('zip-form').requestSubmit();
              return true;
            })()
            """)
        let zipStatus = await poll(tab, "document.getElementById('zip-status').textContent", seconds: 10) {
            ($0.stringValue ?? "").isEmpty == false && $0.stringValue != "Uploading…"
        }
        #expect(zipStatus?.stringValue?.contains("not available") == true || zipStatus?.stringValue?.contains("rejected") == true,
            "\(String(describing: zipStatus))")

        // Fill the form as a person would and submit it.
        _ = try await tab.evaluate(
            """
            (function () {
              document.getElementById('urls').value = '\(site)/\\n\(site)/about/';
              document.getElementById('scanner-security-headers').checked = true;
              document.getElementById('scanner-link-checker').checked = true;
              document.getElementById('allow-private').checked = true;
              document.getElementById('job-name').value = 'web-e2e';
              document.getElementById('submit-urls').click();
              return true;
            })()
            """)
        let arrived = await poll(tab, "location.pathname", seconds: 30) { $0.stringValue == "/scans/default/web-e2e" }
        #expect(arrived?.stringValue == "/scans/default/web-e2e", "\(String(describing: arrived))")
        // Marks this document: if the page reloaded, the mark would be gone.
        _ = await poll(tab, "(window.__sameDocument = 'yes') && document.getElementById('job-phase') !== null", seconds: 10) { $0.boolValue == true }
        let firstPhase = try await tab.evaluate("document.getElementById('job-phase').getAttribute('data-phase')").stringValue
        try await keep(tab, "status-started")

        // Live updates until Done, without a reload.
        let done = await poll(tab, "document.getElementById('job-phase').getAttribute('data-phase')", seconds: 240) {
            $0.stringValue == "Done" || $0.stringValue == "Failed"
        }
        #expect(done?.stringValue == "Done", "first \(String(describing: firstPhase)), last \(String(describing: done))")
        #expect(try await tab.evaluate("window.__sameDocument").stringValue == "yes", "the status page reloaded")
        let stepper = try await tab.evaluate(
            "Array.from(document.querySelectorAll('#stepper li')).map(function (s) { return s.getAttribute('data-state'); }).join(',')")
        #expect(stepper.stringValue?.split(separator: ",").allSatisfy { $0 == "complete" } == true, "\(stepper)")
        let scannerStates = try await tab.evaluate(
            "Array.from(document.querySelectorAll('#scanner-rows td[data-state]')).map(function (c) { return c.textContent; }).join(',')")
        #expect(scannerStates.stringValue == "Succeeded,Succeeded", "\(scannerStates)")
        let log = try await tab.evaluate("Array.from(document.querySelectorAll('#log li')).map(function (li) { return li.textContent; }).join('\\n')")
        let logLines = (log.stringValue ?? "").split(separator: "\n")
        // The log grew while the page was open: the completion condition arrived over SSE.
        #expect(logLines.contains { $0.hasPrefix("condition Complete=True") }, "\(logLines)")
        #expect(logLines.contains { $0.hasPrefix("scanner link-checker Succeeded") }, "\(logLines)")
        #expect(try await tab.evaluate("document.getElementById('report-link').hidden").boolValue == false)
        let statusErrors = try await collectedErrors(tab)
        #expect(statusErrors.isEmpty, "\(statusErrors)")
        try await keep(tab, "status-done")

        // The report: filter it, switch audiences, open a page's evidence.
        let reportURL = server + "/scans/default/web-e2e/report"
        let report = try await tab.load(reportURL, timeout: .seconds(30))
        #expect(report.page?.status == 200)
        #expect(report.scriptErrors.isEmpty, "\(report.scriptErrors)")
        let total = try await tab.evaluate("document.querySelectorAll('#issues > li.issue').length").intValue ?? 0
        #expect(total > 0)
        let filtered = try await tab.evaluate(
            """
            (function () {
              var select = document.getElementById('filter-scanner');
              select.value = 'link-checker';
              select.dispatchEvent(new Event('change', { bubbles: true }));
              var visible = Array.from(document.querySelectorAll('#issues > li.issue')).filter(function (li) { return !li.hidden; });
              return JSON.stringify({ shown: visible.length, all: visible.every(function (li) { return li.getAttribute('data-scanner') === 'link-checker'; }),
                count: document.getElementById('issue-count').textContent });
            })()
            """)
        let filterResult = try JSONValue.parse(Data((filtered.stringValue ?? "{}").utf8))
        let shown = filterResult["shown"]?.intValue ?? 0
        #expect(shown > 0 && shown < total, "\(filterResult), total \(total)")
        #expect(filterResult["all"]?.boolValue == true)
        #expect(filterResult["count"]?.stringValue == "Showing \(shown) of \(total) issues")
        try await keep(tab, "report-filtered")

        let evidence = try await tab.evaluate(
            """
            (function () {
              document.getElementById('tab-content').click();
              var details = document.querySelector('details.evidence');
              details.querySelector('summary').click();
              return JSON.stringify({ open: details.open, panelHidden: document.getElementById('panel-content').hidden,
                items: details.querySelectorAll('li').length, text: details.textContent.slice(0, 200) });
            })()
            """)
        let evidenceResult = try JSONValue.parse(Data((evidence.stringValue ?? "{}").utf8))
        #expect(evidenceResult["open"]?.boolValue == true, "\(evidenceResult)")
        #expect(evidenceResult["panelHidden"]?.boolValue == false)
        try await keep(tab, "report-evidence")
        let reportErrors = try await collectedErrors(tab)
        #expect(reportErrors.isEmpty, "\(reportErrors)")

        // The scans list.
        let scans = try await tab.load(server + "/scans", timeout: .seconds(30))
        #expect(scans.scriptErrors.isEmpty, "\(scans.scriptErrors)")
        let live = await poll(tab, "document.getElementById('live-state').textContent", seconds: 10) { $0.stringValue?.hasPrefix("Live") == true }
        #expect(live?.stringValue?.hasPrefix("Live") == true)
        #expect(try await tab.evaluate("document.querySelector('#scan-rows td[data-phase]').textContent").stringValue == "Done")
        try await keep(tab, "scans")

        // Evidence with a screenshot: a page scanned in the browser by axe, its screenshot served through the
        // job's artifacts route with the issues outlined on it.
        try await evidenceWithScreenshot(tab: tab, server: server, site: site)

        // Stageflow's own pages through Stageflow's axe scanner: nothing serious or critical. The fixture site,
        // which has known violations, shows the scanner does find them in this set-up.
        try await axe(browser: browser, token: try #require(up.token), pages: [
            server + "/", server + "/scans", server + "/scans/default/web-e2e", reportURL, server + "/login",
        ], control: site + "/")
    }

    private func evidenceWithScreenshot(tab: any LoadingTab, server: String, site: String) async throws {
        _ = try await tab.load(server + "/", timeout: .seconds(30))
        _ = try await tab.evaluate(
            """
            (function () {
              document.getElementById('urls').value = '\(site)/';
              document.getElementById('scanner-axe').checked = true;
              document.getElementById('allow-private').checked = true;
              document.getElementById('job-name').value = 'web-e2e-axe';
              document.getElementById('submit-urls').click();
              return true;
            })()
            """)
        let done = await poll(tab, "document.getElementById('job-phase') && document.getElementById('job-phase').getAttribute('data-phase')", seconds: 240) {
            $0.stringValue == "Done" || $0.stringValue == "Failed"
        }
        #expect(done?.stringValue == "Done", "\(String(describing: done))")
        let report = try await tab.load(server + "/scans/default/web-e2e-axe/report", timeout: .seconds(30))
        #expect(report.scriptErrors.isEmpty, "\(report.scriptErrors)")
        _ = try await tab.evaluate(
            """
            (function () {
              document.getElementById('tab-content').click();
              var details = document.querySelector('details.evidence');
              details.open = true;
              details.scrollIntoView();
              return true;
            })()
            """)
        let image = await poll(
            tab,
            "JSON.stringify((function () { var img = document.querySelector('details.evidence[open] img'); return img ? { loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth, boxes: document.querySelectorAll('details.evidence[open] .box').length, src: img.getAttribute('src') } : null; })())",
            seconds: 15
        ) { (try? JSONValue.parse(Data(($0.stringValue ?? "null").utf8)))?["loaded"]?.boolValue == true }
        let result = try JSONValue.parse(Data((image?.stringValue ?? "null").utf8))
        #expect(result["loaded"]?.boolValue == true, "\(result)")
        #expect(result["src"]?.stringValue?.hasPrefix("/scans/default/web-e2e-axe/artifacts/") == true, "\(result)")
        #expect((result["boxes"]?.intValue ?? 0) > 0, "\(result)")
        try await keep(tab, "report-evidence-screenshot")
        let errors = try await collectedErrors(tab)
        #expect(errors.isEmpty, "\(errors)")
    }

    private func axe(browser: ChromiumBrowser, token: String, pages: [String], control: String) async throws {
        let planned = PlannedScanner(
            id: "axe", version: "1", entry: ScannerEntry(builtin: "axe"), config: nil, maxConcurrency: 1, timeoutSeconds: nil,
            memoryMiB: nil, severityMapping: nil)
        let session = try await AxeScanner().makeSession(
            PageScanSetup(scanner: planned, fetcher: PageFetcher(), logger: Logger(label: "test")))
        let tab = try await browser.openTab(TabOptions(width: 1280, height: 900, documentStartScripts: [session.documentStartScript].compactMap { $0 }))
        defer { Task { await tab.close() } }
        // A tab is a browser context of its own: it signs in with the token on the sign-in page.
        if let first = pages.first, let origin = URL(string: first).map({ "\($0.scheme ?? "http")://\($0.host ?? ""):\($0.port ?? 80)" }) {
            _ = try await tab.load(origin + "/login", timeout: .seconds(30))
            _ = try await tab.evaluate(
                "(function () { document.getElementById('token').value = '\(token)'; document.getElementById('login-form').submit(); return true; })()")
            let arrived = await poll(tab, "location.pathname", seconds: 30) { $0.stringValue == "/" }
            #expect(arrived?.stringValue == "/", "signing in with the token did not lead home")
        }
        let controlLoad = try await tab.load(control, timeout: .seconds(30))
        let controlPage = try #require(controlLoad.page, "\(controlLoad.errors)")
        let controlFindings = try await session.scan(controlPage, tab: tab).findings
        #expect(!controlFindings.isEmpty, "axe found nothing on the fixture site, which has violations")
        print("axe on the fixture site \(control): \(controlFindings.count) findings")
        for url in pages {
            let load = try await tab.load(url, timeout: .seconds(30))
            guard let page = load.page else {
                Issue.record("\(url) did not load: \(load.errors)")
                continue
            }
            let outcome = try await session.scan(page, tab: tab)
            #expect(outcome.errors.isEmpty, "\(url): \(outcome.errors)")
            let blocking = outcome.findings.filter { $0.severity >= .serious }
            #expect(blocking.isEmpty, "\(url): \(blocking.map { "\($0.ruleId) \($0.selector ?? "") \($0.message)" })")
            print("axe on \(url): \(outcome.findings.count) findings, \(blocking.count) serious or critical")
        }
    }
}
