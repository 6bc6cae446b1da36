import Foundation
import Logging
import StageflowAPI
import StageflowReport

/// One run of several page scanners over the pages of a plan, sharing one load of each page: one browser for
/// the run, one tab (with its own renderer process) per page in flight, as many as the machine and the scanners'
/// `maxConcurrency` allow (`PageScanWidth`); a scanner that measures loads gets them one at a time (`LoadGate`).
/// Every loaded page goes through each scanner's session in the tab it was loaded in, then one screenshot is
/// taken for all of them. Scanners that only read markup work on a plain fetch when no scanner needs the
/// browser.
///
/// A page that cannot be loaded is a page error of every scanner; a scanner that cannot start (axe-core missing,
/// configuration invalid) gets failed results while the others go on.
struct PageScanRun {
    /// One scanner of the run.
    struct Member {
        let planned: PlannedScanner
        let scanner: any PageScanner
        let evidence: EvidenceWriter
    }

    let plan: ScanPlan
    let members: [Member]
    let fetcher: PageFetcher
    /// The target policy the browser's requests pass, as the runner's own do.
    let policy: any FetchPolicy
    let configuration: ScannerRunner.Configuration
    let deadline: ContinuousClock.Instant
    let logger: Logger

    /// Results by scanner id, in the order of `members`.
    func run() async throws -> [ScannerResults] {
        var sessions: [(Member, any PageScanSession)] = []
        var results: [String: ScannerResults] = [:]
        for member in members {
            do {
                let setup = PageScanSetup(scanner: member.planned, fetcher: fetcher, logger: logger)
                sessions.append((member, try await member.scanner.makeSession(setup)))
            } catch let error as ScannerRunError {
                results[member.planned.id] = .failed(scanner: member.planned.id, error: error.message)
            }
        }

        var browser: (any Browser)?
        if sessions.contains(where: { $0.0.scanner.requiresBrowser }) {
            do {
                browser = try await configuration.launchBrowser()
            } catch {
                // Without a browser, scanners that need one fail; the others read plain fetches.
                let message = "no browser: \(error)"
                for (member, _) in sessions where member.scanner.requiresBrowser {
                    results[member.planned.id] = .failed(scanner: member.planned.id, error: message)
                }
                sessions.removeAll { $0.0.scanner.requiresBrowser }
            }
        }
        if !sessions.isEmpty {
            let scanned = try await scan(sessions, browser: browser)
            for (id, result) in scanned { results[id] = result }
        }
        await browser?.close()
        return members.map { results[$0.planned.id] ?? .failed(scanner: $0.planned.id, error: "not run") }
    }

    /// What happened to one page.
    private struct PageOutcome: Sendable {
        var page: ScannedPage
        /// Outcome per scanner id; empty when the page did not load or was not reached in time.
        var outcomes: [String: PageScanOutcome]
        var skipped: Bool
        /// The markup-only scanners' work on this page, still running after its tab was given back.
        var markup: Task<[String: PageScanOutcome], any Error>?
    }

    private func scan(_ sessions: [(Member, any PageScanSession)], browser: (any Browser)?) async throws -> [String: ScannerResults] {
        let machine = PageScanWidth.machine
        let width = PageScanWidth.width(
            limits: sessions.filter { !$0.0.scanner.measuresLoad }.map(\.0.planned.maxConcurrency), cores: machine.cores,
            memoryMiB: machine.memoryMiB)
        // A scanner that measures loads gets them one at a time; everything else still runs `width` wide.
        let loadGate = width > 1 && sessions.contains(where: { $0.0.scanner.measuresLoad }) ? LoadGate() : nil
        let crawl = try await discoverPages(width: width, readBodies: browser == nil)
        let tabs = TabPool(
            browser: browser,
            options: TabOptions(
                documentStartScripts: sessions.compactMap(\.1.documentStartScript),
                requestGate: BrowserRequestGate(policy: policy),
                userAgent: configuration.userAgent, egress: configuration.egressPolicy(plan)))
        let screenshotWriter = sessions.first { $0.0.scanner.requiresBrowser }?.0.evidence
        let timeout = Duration.seconds(configuration.pageTimeoutSeconds)
        let profile = PageScanProfile()
        let tabSessions = sessions.filter { $0.0.scanner.requiresBrowser }
        let markupSessions = sessions.filter { !$0.0.scanner.requiresBrowser }

        var outcomes = try await BoundedTasks.map(crawl.pages, width: width) { crawled -> PageOutcome in
            guard ContinuousClock.now < deadline else {
                var page = crawled.scannedPage
                page.errors = (page.errors ?? []) + ["not scanned: the time budget ran out"]
                return PageOutcome(page: page, outcomes: [:], skipped: true)
            }
            guard browser != nil else {
                return try await scanPage(
                    crawled, loaded: crawled.loadedPage, page: crawled.scannedPage, tab: nil, sessions: sessions, profile: profile)
            }
            let tab = try await tabs.acquire()
            do {
                await loadGate?.enter()
                let load: TabLoad
                var measured: PageOutcome?
                do {
                    load = try await profile.measure("load") { try await tab.load(crawled.url, timeout: timeout) }
                    if loadGate != nil {
                        // The load-measuring scanners read the page while no other page loads.
                        measured = try await scanPage(
                            crawled, loaded: load.page, page: crawled.scannedPage, tab: tab,
                            sessions: tabSessions.filter { $0.0.scanner.measuresLoad }, profile: profile)
                    }
                } catch {
                    await loadGate?.leave()
                    throw error
                }
                await loadGate?.leave()
                var page = crawled.scannedPage
                page.errors = load.errors.isEmpty ? nil : load.errors
                if let document = load.page {
                    page.httpStatus = document.status
                    page.title = HTMLDocument(html: document.html).title
                }
                // Scanners that work in the tab go first; the tab goes back to the pool after the screenshot, and
                // the markup-only scanners read the loaded document while the tab loads the next page.
                let remaining = measured == nil ? tabSessions : tabSessions.filter { !$0.0.scanner.measuresLoad }
                var outcome = try await scanPage(crawled, loaded: load.page, page: page, tab: tab, sessions: remaining, profile: profile)
                if let measured {
                    outcome.outcomes.merge(measured.outcomes) { own, _ in own }
                    let added = (measured.page.errors ?? []).dropFirst(crawled.scannedPage.errors?.count ?? 0)
                    if !added.isEmpty { outcome.page.errors = (outcome.page.errors ?? []) + added }
                }
                if load.page != nil, let screenshotWriter {
                    var errors = outcome.page.errors
                    outcome.page.screenshot = try await profile.measure("screenshot") {
                        try await screenshot(of: tab, url: crawled.url, writer: screenshotWriter, errors: &errors)
                    }
                    outcome.page.errors = errors
                }
                await tabs.release(tab)
                if let loaded = load.page, !markupSessions.isEmpty {
                    outcome.markup = Task {
                        try await scanPage(
                            crawled, loaded: loaded, page: page, tab: nil, sessions: markupSessions, profile: profile
                        ).outcomes
                    }
                }
                return outcome
            } catch {
                await tabs.release(tab)
                throw error
            }
        }
        await tabs.closeAll()
        for index in outcomes.indices {
            guard let markup = outcomes[index].markup else { continue }
            outcomes[index].outcomes.merge(try await markup.value) { own, _ in own }
            outcomes[index].markup = nil
        }
        logger.info("page scan time, summed over \(crawl.pages.count) pages: \(profile.summary)")

        var results: [String: ScannerResults] = [:]
        for (member, session) in sessions {
            let id = member.planned.id
            var pages: [ScannedPage] = []
            var findings: [ScannerFinding] = []
            var rules = session.rules
            var known = Set(rules.map(\.id))
            for outcome in outcomes {
                var page = outcome.page
                // A page this scanner did not check lists no passed rule, so none counts as passed there.
                page.passed = []
                if let own = outcome.outcomes[id] {
                    findings += own.findings
                    if !own.errors.isEmpty { page.errors = (page.errors ?? []) + own.errors }
                    page.passed = own.passed
                    page.inapplicable = own.inapplicable.isEmpty ? nil : own.inapplicable
                    page.metrics = own.metrics
                    for rule in own.rules where known.insert(rule.id).inserted { rules.append(rule) }
                }
                pages.append(page)
            }
            findings += try await session.finish()
            var result = Self.results(
                scanner: id, pages: pages, findings: findings,
                unscanned: outcomes.filter { $0.outcomes[id] == nil }.count,
                budgetExhausted: crawl.budgetExhausted || outcomes.contains(where: \.skipped))
            result.rules = rules.isEmpty ? nil : rules.sorted { $0.id < $1.id }
            result.toolVersion = member.scanner.requiresBrowser
                ? "\(session.toolVersion) in \(browser?.version ?? "a browser")" : session.toolVersion
            results[id] = result
        }
        return results
    }

    /// Runs every session on one loaded page.
    private func scanPage(
        _ crawled: CrawledPage, loaded: LoadedPage?, page: ScannedPage, tab: (any LoadingTab)?,
        sessions: [(Member, any PageScanSession)], profile: PageScanProfile
    ) async throws -> PageOutcome {
        guard let loaded else { return PageOutcome(page: page, outcomes: [:], skipped: false) }
        var perScanner: [String: PageScanOutcome] = [:]
        var page = page
        for (member, session) in sessions {
            do {
                perScanner[member.planned.id] = try await profile.measure(member.planned.id) { try await session.scan(loaded, tab: tab) }
            } catch let error as BrowserError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // The page went away under the scanner (it navigated itself, or its renderer closed): this page
                // is not scanned by this scanner, and the run goes on.
                page.errors = (page.errors ?? []) + ["\(member.planned.id) could not scan the page: \(error)"]
            }
        }
        return PageOutcome(page: page, outcomes: perScanner, skipped: false)
    }

    /// Stores a screenshot of the loaded page; a failure is a page error, not the end of the run.
    private func screenshot(
        of tab: any LoadingTab, url: String, writer: EvidenceWriter, errors: inout [String]?
    ) async throws -> ScreenshotReference? {
        let shot: Screenshot
        do {
            shot = try await tab.screenshot(maxHeight: configuration.screenshotMaxHeight)
        } catch let error as BrowserError {
            throw error
        } catch {
            errors = (errors ?? []) + ["no screenshot: \(error)"]
            return nil
        }
        let key = try await writer.write("screenshots/\(PageIdentifier.id(for: url)).png", data: shot.png, contentType: "image/png")
        return ScreenshotReference(key: key, width: shot.width, height: shot.height)
    }

    /// The pages of the plan: its URLs, and with a crawl the pages they lead to (discovered with plain fetches,
    /// which are cheap next to a browser load).
    private func discoverPages(width: Int, readBodies: Bool) async throws -> PageCrawler.Outcome {
        if plan.crawl == nil && !readBodies {
            let pages = plan.urls.map { url in
                CrawledPage(url: url, address: WebAddress(url), fetch: nil, document: nil, isSeed: true, errors: [])
            }
            return PageCrawler.Outcome(pages: pages, otherFetches: [:], budgetExhausted: false)
        }
        var options = PageCrawler.Options(
            crawl: plan.crawl, concurrency: width, timeout: .seconds(configuration.pageTimeoutSeconds), deadline: deadline)
        options.keepsBodies = readBodies
        return try await PageCrawler(fetcher: fetcher, options: options).crawl(seeds: plan.urls)
    }

    /// `failed` when no page could be scanned, `partial` when some could not, else `success`.
    static func results(
        scanner: String, pages: [ScannedPage], findings: [ScannerFinding], unscanned: Int, budgetExhausted: Bool
    ) -> ScannerResults {
        var results = ScannerResults(scanner: scanner, pages: pages, findings: findings)
        let scanned = pages.count - unscanned
        if pages.isEmpty || scanned == 0 {
            results.status = .failed
            results.error = pages.isEmpty
                ? "the plan has no pages" : "no page could be scanned: \(pages.first?.errors?.first ?? "unknown reason")"
        } else if unscanned > 0 || budgetExhausted {
            results.status = .partial
            var reasons: [String] = []
            if unscanned > 0 { reasons.append("\(unscanned) of \(pages.count) pages could not be scanned") }
            if budgetExhausted { reasons.append("the time budget ran out before every page was scanned") }
            results.error = reasons.joined(separator: "; ")
        }
        return results
    }
}

extension CrawledPage {
    /// The page as fetched, for page scanners that read markup when no browser loads it.
    var loadedPage: LoadedPage? {
        guard let fetch, let body = fetch.body, fetch.isHTML else { return nil }
        return LoadedPage(
            url: url, finalURL: fetch.final.url.absoluteString, status: fetch.status, headers: fetch.headers,
            html: String(decoding: body, as: UTF8.self), isSeed: isSeed)
    }
}
