import Foundation
import Logging
import StageflowAPI
import StageflowReport
import StageflowScanner

/// One journey under way: the tab, the steps so far, the findings, the budgets. Used by one task from start to end.
final class JourneyWalk: @unchecked Sendable {
    private let runner: JourneyRunner
    private let request: JourneyRequest
    private let configuration: JourneyConfiguration
    private let credentials: JourneyCredentials
    private let startURL: String
    private let started: Date
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let maxSteps: Int
    private let maxCost: Double
    private let deadline: ContinuousClock.Instant
    private let allowedOrigins: [String]

    private var steps: [JourneyStepRecord] = []
    private var findings = JourneyFindings()
    private var totals = JourneyTotals()
    private var maxStepCost = 0.0
    private var visits: [String: Int] = [:]
    private var axedStates: Set<String> = []
    private var pages: [String: ScannedPage] = [:]
    private var pageOrder: [String] = []
    private var history: [String] = []
    private var axe: (any PageScanSession)?
    private var setupErrors: [String] = []

    /// What the last action was, to judge at the next look whether it changed anything.
    private struct Previous {
        var stateKey: String
        var settlement: TabSettlement
        var action: AgentAction
        var step: Int
        var element: InteractiveElement?
    }

    init(
        runner: JourneyRunner, request: JourneyRequest, configuration: JourneyConfiguration, credentials: JourneyCredentials,
        startURL: String, started: Date
    ) {
        self.runner = runner
        self.request = request
        self.configuration = configuration
        self.credentials = credentials
        self.startURL = startURL
        self.started = started
        start = clock.now
        maxSteps = max(1, configuration.maxSteps ?? JourneyConfiguration.defaultMaxSteps)
        maxCost = max(0, configuration.maxCostUSD ?? JourneyConfiguration.defaultMaxCostUSD)
        var deadline = clock.now + .seconds(max(1, configuration.maxSeconds ?? JourneyConfiguration.defaultMaxSeconds))
        if let jobDeadline = request.deadline, jobDeadline < deadline { deadline = jobDeadline }
        self.deadline = deadline
        let configured = (configuration.allowedOrigins ?? []).compactMap(JourneyOrigins.origin(of:))
        allowedOrigins = configured.isEmpty ? JourneyOrigins.origin(of: startURL).map { [$0] } ?? [] : configured
    }

    private var scannerID: String { request.scanner.id }
    private var settings: JourneyRunner.Settings { runner.settings }
    private var logger: Logger { runner.logger }

    // MARK: Running

    func run() async throws -> ScannerResults {
        await prepareAxe()
        let options = TabOptions(
            width: settings.viewportWidth, height: settings.viewportHeight, documentStartScripts: axe?.documentStartScript.map { [$0] } ?? [],
            requestGate: BrowserRequestGate(policy: ScannerRunner.targetPolicy(of: request.plan)), userAgent: PageFetcher.defaultUserAgent,
            egress: settings.egressPolicy(request.plan))
        let opened = try await runner.browser.openTab(options)
        guard let tab = opened as? any InteractiveTab else {
            await opened.close()
            throw BrowserError.unavailable("\(runner.browser.version) cannot drive pages interactively")
        }
        do {
            let outcome = try await walk(tab)
            await tab.close()
            return results(outcome)
        } catch {
            await tab.close()
            throw error
        }
    }

    private func prepareAxe() async {
        guard configuration.accessibility ?? true else { return }
        let planned = PlannedScanner(
            id: "axe", version: "1", entry: ScannerEntry(builtin: "axe"), config: ["includeIncomplete": false], maxConcurrency: 1,
            timeoutSeconds: nil, memoryMiB: nil, severityMapping: nil)
        do {
            axe = try await AxeScanner().makeSession(PageScanSetup(scanner: planned, fetcher: PageFetcher(), logger: logger))
        } catch {
            setupErrors.append("no accessibility checks on the journey's pages: \(error)")
        }
    }

    private func walk(_ tab: any InteractiveTab) async throws -> JourneyOutcome {
        let load = try await tab.load(startURL, timeout: settings.pageTimeout)
        if load.page == nil {
            var activity = StepActivity()
            activity.blocked = load.errors.filter { $0.hasPrefix("blocked: ") }.map { String($0.dropFirst(9)) }
            findings.addActivity(activity, url: startURL, step: 0, screenshot: nil)
            notePage(startURL, title: nil, screenshot: nil, errors: load.errors)
            return JourneyOutcome(
                reached: false, reason: .startFailed,
                message: "the start page \(startURL) did not load: \(load.errors.joined(separator: "; "))", step: 0)
        }
        var loadActivity = StepActivity(scriptErrors: load.scriptErrors)
        loadActivity.blocked = load.errors.filter { $0.hasPrefix("blocked: ") }.map { String($0.dropFirst(9)) }
        findings.addActivity(masked(loadActivity), url: startURL, step: 1, screenshot: nil)
        var previous: Previous?
        var step = 0
        while true {
            try Task.checkCancellation()
            if let end = budgetEnd(steps: step) { return end }
            let overheadStart = clock.now
            let observation: PageObservation
            do {
                observation = try await observe(tab)
            } catch {
                return JourneyOutcome(
                    reached: false, reason: .agentError, message: "the page could not be read after step \(step): \(error)", step: step)
            }
            let analysisTime = overheadStart.duration(to: clock.now)

            if try await successCheckHolds(tab, observation) {
                let what = [configuration.success?.urlContains.map { "the URL contains \"\($0)\"" },
                            configuration.success?.textContains.map { "the page shows \"\($0)\"" }].compactMap { $0 }
                return JourneyOutcome(
                    reached: true, reason: .goalReached, message: "the goal is reached: \(what.joined(separator: " and "))", step: step)
            }
            if let previous, let end = unchanged(previous, observation) { return end }
            visits[observation.stateKey, default: 0] += 1
            if visits[observation.stateKey] ?? 0 >= 3 {
                let message = "the journey came back to the same page state three times (\(observation.url)); it is going in circles"
                addFinding(
                    ruleId: "journey-loop", title: "The journey goes in circles", message: message, severity: .moderate,
                    url: observation.url, selector: nil, step: step,
                    howToFix: "Check where the controls on the way lead: a visitor following them ends up where they started.")
                return JourneyOutcome(reached: false, reason: .loopDetected, message: message, step: step)
            }

            step += 1
            let screenshotStart = clock.now
            let image = try await runner.settings.analyzer.markedScreenshot(tab)
            let screenshotTime = screenshotStart.duration(to: clock.now)
            let screenshot = try await storeScreenshot(image, step: step)
            notePage(
                observation.url, title: observation.title,
                screenshot: observation.viewport.scrollY == 0 ? screenshot : nil, errors: nil)
            if axe != nil, axedStates.insert(observation.stateKey).inserted {
                await checkAccessibility(tab, observation, step: step, screenshot: screenshot.key)
            }

            let decider = ActionDecider(
                model: runner.model, modelName: runner.endpoint.model, pricing: runner.endpoint.pricing,
                includeUsageCost: runner.endpoint.isOpenRouter, imageDetail: settings.imageDetail)
            let stepText = ActionPrompt.step(
                goal: configuration.goal, step: step, maxSteps: maxSteps, observation: masked(observation), history: history,
                allowedOrigins: allowedOrigins, credentials: credentials.names)
            let decision: ActionDecider.Outcome
            do {
                decision = try await decider.decide(
                    stepText: stepText, image: image.jpeg, observation: observation, allowedOrigins: allowedOrigins)
            } catch let failed as ActionDecider.Failed {
                account(failed.cost)
                record(step, observation, screenshot, thought: nil, action: JourneyAction(type: "none"), target: nil,
                       effect: "no action: \(failed.error)", activity: StepActivity(), cost: failed.cost)
                return JourneyOutcome(reached: false, reason: .modelUnavailable, message: failed.error.description, step: step)
            } catch let invalid as ActionDecider.InvalidAnswers {
                account(invalid.cost)
                record(step, observation, screenshot, thought: nil, action: JourneyAction(type: "none"), target: nil,
                       effect: "no action: \(invalid.description)", activity: StepActivity(), cost: invalid.cost)
                return JourneyOutcome(reached: false, reason: .agentError, message: "agent error at step \(step): \(invalid.description)", step: step)
            }
            account(decision.cost)
            settings.overheadObserver?(
                StepOverhead(
                    analysis: analysisTime, screenshot: screenshotTime, requestBuilding: decision.cost.buildTime,
                    requestBytes: decision.cost.requestBytes))

            let action = decision.decision.action
            let element = action.index.flatMap(observation.element)
            if case .done(let success, let summary) = action {
                let outcome = try await finish(tab, success: success, summary: summary, observation: observation, step: step)
                record(step, observation, screenshot, thought: decision.decision.thought, action: action.record, target: nil,
                       effect: outcome.message, activity: StepActivity(), cost: decision.cost)
                return outcome
            }
            let applied = try await apply(action, on: tab, element: element)
            let activity = masked(applied.activity)
            record(step, observation, screenshot, thought: decision.decision.thought, action: masked(action.record),
                   target: element?.target, effect: applied.effect, activity: activity, cost: decision.cost)
            history.append("\(step). \(describe(action, element)) → \(applied.effect)")
            previous = Previous(stateKey: observation.stateKey, settlement: applied.settlement, action: action, step: step, element: element)
            await request.progress(progress(step: step, url: observation.url))
        }
    }

    /// The end a budget imposes before the next step, if any.
    private func budgetEnd(steps: Int) -> JourneyOutcome? {
        if steps >= maxSteps {
            return JourneyOutcome(reached: false, reason: .budgetExhausted, message: "the step budget of \(maxSteps) steps ran out", step: steps)
        }
        if clock.now >= deadline {
            let seconds = Int(start.duration(to: deadline).components.seconds)
            return JourneyOutcome(reached: false, reason: .budgetExhausted, message: "the time budget of \(seconds) s ran out", step: steps)
        }
        if totals.costUSD >= maxCost || (maxStepCost > 0 && totals.costUSD + maxStepCost > maxCost) {
            return JourneyOutcome(
                reached: false, reason: .budgetExhausted,
                message: String(
                    format: "the cost budget of US$%.4f would be exceeded by another step (US$%.4f spent, a step costs up to US$%.4f)",
                    maxCost, totals.costUSD, maxStepCost), step: steps)
        }
        return nil
    }

    private func observe(_ tab: any InteractiveTab) async throws -> PageObservation {
        do {
            return try await runner.settings.analyzer.observe(tab)
        } catch {
            // The document was being replaced: wait for it once, then read it.
            _ = await tab.settle(after: TabMark(loadsStarted: 0, sameDocumentNavigations: 0), timeout: settings.settleTimeout)
            return try await runner.settings.analyzer.observe(tab)
        }
    }

    /// The end the last action brings when it changed nothing: a dead control, or (scrolling, going back) no way on.
    private func unchanged(_ previous: Previous, _ observation: PageObservation) -> JourneyOutcome? {
        guard previous.stateKey == observation.stateKey, !previous.settlement.loadedDocument,
            !previous.settlement.navigatedWithinDocument
        else { return nil }
        let screenshot = steps.last?.screenshot?.key
        switch previous.action {
        case .click, .type, .select:
            let element = previous.element
            let name = element.map { "\($0.role) \"\($0.name)\"" } ?? "the control"
            let verb: String
            switch previous.action {
            case .type: verb = "typing into"
            case .select: verb = "choosing an option of"
            default: verb = "clicking"
            }
            let message = "step \(previous.step): \(verb) \(name) changed nothing: no navigation, nothing new on the page (\(observation.url))"
            findings.add(
                ScannerFinding(
                    ruleId: "dead-control", title: "A control does nothing when used",
                    message: message + JourneyFindings.stepNote(previous.step, screenshot: screenshot), severity: .serious,
                    severityRaw: "dead-control", url: observation.url, selector: element?.locator, html: element?.html,
                    howToFix: "Make the control do what it says, or show why it cannot (a message next to it, a disabled state)."))
            return JourneyOutcome(reached: false, reason: .deadControl, message: message, step: previous.step)
        case .scroll, .back, .navigate:
            let message = "step \(previous.step): \(describe(previous.action, nil)) changed nothing on \(observation.url)"
            return JourneyOutcome(reached: false, reason: .loopDetected, message: message, step: previous.step)
        case .done:
            return nil
        }
    }

    private func successCheckHolds(_ tab: any InteractiveTab, _ observation: PageObservation) async throws -> Bool {
        guard let check = configuration.success, check.urlContains != nil || check.textContains != nil else { return false }
        if let part = check.urlContains, !observation.url.contains(part) { return false }
        if let text = check.textContains {
            let expression = "(document.body ? document.body.innerText : '').includes(\(JSONValue.string(text).jsonString()))"
            guard (try? await tab.evaluate(expression))?.boolValue == true else { return false }
        }
        return true
    }

    /// The end of a `done`: reached when the agent says so and the success check (if any) agrees.
    private func finish(
        _ tab: any InteractiveTab, success: Bool, summary: String, observation: PageObservation, step: Int
    ) async throws -> JourneyOutcome {
        if success {
            if configuration.success != nil, !(try await successCheckHolds(tab, observation)) {
                let message = "the agent reported the goal reached (\(summary)), but the success check does not hold on \(observation.url)"
                addFinding(
                    ruleId: "goal-unreachable", title: "The journey's goal could not be reached", message: message, severity: .serious,
                    url: observation.url, selector: nil, step: step,
                    howToFix: "Follow the journey's steps in the filmstrip to see where the page differs from what the goal needs.")
                return JourneyOutcome(reached: false, reason: .goalUnreachable, message: message, step: step)
            }
            return JourneyOutcome(reached: true, reason: .goalReached, message: summary.isEmpty ? "the goal is reached" : summary, step: step)
        }
        let message = "the goal \"\(configuration.goal)\" could not be reached: \(summary.isEmpty ? "the agent gave no reason" : summary)"
        addFinding(
            ruleId: "goal-unreachable", title: "The journey's goal could not be reached", message: message, severity: .serious,
            url: observation.url, selector: nil, step: step,
            howToFix: "Follow the journey's steps in the filmstrip to see where a visitor gets stuck.")
        return JourneyOutcome(reached: false, reason: .goalUnreachable, message: message, step: step)
    }

    // MARK: Acting

    private struct Applied {
        var settlement: TabSettlement
        var effect: String
        var activity: StepActivity
    }

    private func apply(_ action: AgentAction, on tab: any InteractiveTab, element: InteractiveElement?) async throws -> Applied {
        let mark = tab.mark()
        var notes: [String] = []
        var settlement = TabSettlement(loadedDocument: false, navigatedWithinDocument: false)
        var activity = StepActivity()
        func handle(_ index: Int) async throws -> ElementHandle? {
            let handle = try await tab.element(PageAnalyzer.elementExpression(index))
            if handle == nil { notes.append("element \(index) is no longer on the page") }
            return handle
        }
        switch action {
        case .click(let index):
            if let handle = try await handle(index), try await tab.click(handle) == nil {
                notes.append("element \(index) has no box to click")
            }
        case .type(let index, let text, let submit):
            if let handle = try await handle(index) { try await tab.type(credentials.fill(text), into: handle, submit: submit) }
        case .select(let index, let value):
            if let handle = try await handle(index), !(try await tab.select(value, in: handle)) {
                notes.append("element \(index) has no option \"\(value)\"")
            }
        case .scroll(let direction):
            try await tab.scroll(direction)
        case .navigate(let url):
            let load = try await tab.load(url, timeout: settings.pageTimeout)
            settlement = TabSettlement(loadedDocument: load.page != nil, navigatedWithinDocument: false)
            activity.blocked = load.errors.filter { $0.hasPrefix("blocked: ") }.map { String($0.dropFirst(9)) }
            activity.scriptErrors = load.scriptErrors
            if load.page == nil { notes.append("the page did not load: \(load.errors.joined(separator: "; "))") }
        case .back:
            if !(try await tab.goBack()) { notes.append("there is no page to go back to") }
        case .done:
            break
        }
        if case .navigate = action {} else {
            settlement = await tab.settle(after: mark, timeout: settings.settleTimeout)
        }
        let drained = tab.drainActivity()
        activity.merge(StepActivity(scriptErrors: drained.scriptErrors, failedRequests: drained.failedRequests, blocked: drained.blocked))
        let now = (try? await tab.evaluate("location.href"))?.stringValue ?? ""
        var effect: [String] = []
        if settlement.loadedDocument { effect.append("loaded \(now)") }
        if settlement.navigatedWithinDocument { effect.append("moved to \(now)") }
        if settlement.timedOut { effect.append("the page was still loading after \(settings.settleTimeout)") }
        if let first = activity.blocked.first { effect.append("blocked: \(first)") }
        effect += notes
        return Applied(settlement: settlement, effect: effect.isEmpty ? "done on the same page" : effect.joined(separator: "; "), activity: activity)
    }

    private func describe(_ action: AgentAction, _ element: InteractiveElement?) -> String {
        let target = element.map { " [\($0.index)] \($0.role) \"\($0.name)\"" } ?? ""
        switch action {
        case .click: return "click" + target
        case .type(_, let text, let submit): return "type \"\(credentials.mask(text))\" into" + target + (submit ? " and press Enter" : "")
        case .select(_, let value): return "select \"\(value)\" in" + target
        case .scroll(let direction): return "scroll \(direction.rawValue)"
        case .navigate(let url): return "navigate to \(url)"
        case .back: return "go back"
        case .done(let success, _): return success ? "done (reached)" : "done (not reached)"
        }
    }

    // MARK: Recording

    private func account(_ cost: ActionDecider.StepCost) {
        totals.modelRequests += cost.requests
        totals.promptTokens += cost.usage.promptTokens
        totals.completionTokens += cost.usage.completionTokens
        totals.costUSD += cost.costUSD
        totals.modelMs += Int64(cost.modelTime.components.seconds * 1000) + Int64(cost.modelTime.components.attoseconds / 1_000_000_000_000_000)
        maxStepCost = max(maxStepCost, cost.costUSD)
        runner.ledger.record(requests: cost.requests, usage: cost.usage, costUSD: cost.costUSD)
    }

    private func record(
        _ step: Int, _ observation: PageObservation, _ screenshot: ScreenshotReference, thought: String?, action: JourneyAction,
        target: JourneyTarget?, effect: String, activity: StepActivity, cost: ActionDecider.StepCost
    ) {
        let modelMs = Int64(cost.modelTime.components.seconds * 1000) + Int64(cost.modelTime.components.attoseconds / 1_000_000_000_000_000)
        steps.append(
            JourneyStepRecord(
                index: step, url: observation.url, title: observation.title, screenshot: screenshot,
                thought: thought.map(credentials.mask), action: action, target: target, effect: credentials.mask(effect),
                scriptErrors: activity.scriptErrors.isEmpty ? nil : activity.scriptErrors,
                failedRequests: activity.failedRequests.isEmpty ? nil : activity.failedRequests,
                blocked: activity.blocked.isEmpty ? nil : activity.blocked,
                usage: JourneyTotals(
                    steps: 1, modelRequests: cost.requests, promptTokens: cost.usage.promptTokens,
                    completionTokens: cost.usage.completionTokens, costUSD: cost.costUSD, modelMs: modelMs)))
        totals.steps = steps.count
        findings.addActivity(activity, url: observation.url, step: step, screenshot: screenshot.key)
    }

    private func addFinding(
        ruleId: String, title: String, message: String, severity: Severity, url: String, selector: String?, step: Int, howToFix: String
    ) {
        let screenshot = steps.last(where: { $0.index == step })?.screenshot?.key ?? steps.last?.screenshot?.key
        findings.add(
            ScannerFinding(
                ruleId: ruleId, title: title, message: message + JourneyFindings.stepNote(step, screenshot: screenshot),
                severity: severity, severityRaw: ruleId, url: url, selector: selector, howToFix: howToFix))
    }

    private func storeScreenshot(_ image: ViewportImage, step: Int) async throws -> ScreenshotReference {
        let name = String(format: "steps/%02d.jpg", step)
        let key = try await request.evidence.write(name, data: image.jpeg, contentType: "image/jpeg")
        return ScreenshotReference(key: key, width: image.cssWidth, height: image.cssHeight)
    }

    private func checkAccessibility(_ tab: any InteractiveTab, _ observation: PageObservation, step: Int, screenshot: String) async {
        guard let axe else { return }
        do {
            let outcome = try await axe.scan(LoadedPage(url: observation.url, html: ""), tab: tab)
            for var finding in outcome.findings {
                finding.message += JourneyFindings.stepNote(step, screenshot: screenshot)
                findings.add(finding)
            }
            if !outcome.errors.isEmpty { notePage(observation.url, title: observation.title, screenshot: nil, errors: outcome.errors) }
        } catch {
            notePage(observation.url, title: observation.title, screenshot: nil, errors: ["axe could not check this state: \(error)"])
        }
    }

    private func notePage(_ url: String, title: String?, screenshot: ScreenshotReference?, errors: [String]?) {
        if pages[url] == nil { pageOrder.append(url) }
        var page = pages[url] ?? ScannedPage(url: url, title: title)
        if page.screenshot == nil, let screenshot { page.screenshot = screenshot }
        if page.title == nil, let title { page.title = title }
        if let errors, !errors.isEmpty { page.errors = (page.errors ?? []) + errors }
        pages[url] = page
    }

    private func masked(_ observation: PageObservation) -> PageObservation {
        guard !credentials.fields.isEmpty else { return observation }
        var copy = observation
        for index in copy.elements.indices {
            copy.elements[index].value = copy.elements[index].value.map(credentials.mask)
        }
        return copy
    }

    private func masked(_ action: JourneyAction) -> JourneyAction {
        var copy = action
        copy.text = action.text.map(credentials.mask)
        return copy
    }

    private func masked(_ activity: StepActivity) -> StepActivity {
        StepActivity(
            scriptErrors: activity.scriptErrors.map(credentials.mask), failedRequests: activity.failedRequests.map(credentials.mask),
            blocked: activity.blocked.map(credentials.mask))
    }

    private func progress(step: Int, url: String?) -> JourneyProgress {
        JourneyProgress(
            attempt: request.attempt, step: step, maxSteps: maxSteps, url: url, costUSD: totals.costUSD,
            startedAt: Timestamp.string(started))
    }

    // MARK: Results

    private func results(_ outcome: JourneyOutcome) -> ScannerResults {
        totals.steps = steps.count
        let elapsed = start.duration(to: clock.now)
        totals.durationMs = Int64(elapsed.components.seconds * 1000) + Int64(elapsed.components.attoseconds / 1_000_000_000_000_000)
        var results = ScannerResults(scanner: scannerID, pages: pageOrder.compactMap { pages[$0] }, findings: findings.findings)
        switch outcome.reason {
        case .goalReached, .goalUnreachable, .deadControl, .loopDetected:
            results.status = .success
        case .budgetExhausted:
            results.status = .partial
            results.error = "the journey stopped before its end: \(outcome.message)"
        case .agentError, .modelUnavailable, .startFailed:
            results.status = .failed
            results.error = outcome.message
        }
        if !setupErrors.isEmpty, results.status == .success {
            results.status = .partial
            results.error = setupErrors.joined(separator: "; ")
        }
        results.journey = JourneyRecord(
            scanner: scannerID, goal: configuration.goal, startURL: startURL, model: runner.endpoint.model, outcome: outcome,
            steps: steps, totals: totals, attempt: request.attempt)
        logger.info(
            "journey \(request.plan.job.namespace)/\(request.plan.job.name) \(outcome.reason.rawValue) after \(steps.count) step(s): \(outcome.message)")
        return results
    }
}
