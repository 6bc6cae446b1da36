import Logging
import StageflowAPI
import StageflowReport

/// One run of the performance scanner.
struct PerformanceSession: PageScanSession {
    let judge: PerformanceJudge
    let logger: Logger

    var toolVersion: String { "stageflow performance 1.0 (Lighthouse 10-12 scoring)" }

    var documentStartScript: String? { PerformanceScript.documentStart }

    var rules: [RuleDescriptor] { PerformanceJudge.rules }

    func scan(_ page: LoadedPage, tab: (any BrowserTab)?) async throws -> PageScanOutcome {
        guard let tab else {
            return PageScanOutcome(errors: ["performance metrics need the page loaded in a browser, and none was available"])
        }
        let value: JSONValue
        do {
            value = try await tab.evaluate(PerformanceScript.collect)
        } catch let error as CancellationError {
            throw error
        } catch {
            return PageScanOutcome(errors: ["could not read the page's performance timing: \(error)"])
        }
        let sample: PerformanceSample
        do {
            sample = try value.decode(as: PerformanceSample.self)
        } catch {
            return PageScanOutcome(errors: ["the page's performance timing is unreadable: \(error)"])
        }
        let metrics = PerformanceMetrics(sample: sample, network: page.network)
        if metrics.fcpMs == nil, metrics.lcpMs == nil, metrics.tbtMs == nil {
            return PageScanOutcome(errors: [
                "the browser recorded no paint and no long-task timing for this page, so its performance cannot be scored"
            ])
        }
        let verdict = judge.judge(metrics)
        logger.debug("performance: \(page.url): \(verdict.summary)")
        var inapplicable: [String] = []
        if judge.budgets.requestCount == nil || metrics.requestCount == nil { inapplicable.append("request-count-over-budget") }
        for metric in [LighthouseScoring.Metric.fcp, .lcp, .tbt, .cls, .ttfb, .transferBytes]
        where metrics.value(of: metric) == nil || judge.budgets.value(of: metric) == nil {
            inapplicable.append(PerformanceJudge.rule(metric).0)
        }
        if verdict.overall == nil { inapplicable.append("performance-score") }
        return PageScanOutcome(
            findings: judge.findings(for: verdict, url: page.url), checked: PerformanceJudge.rules.map(\.id),
            inapplicable: inapplicable, metrics: metrics.pageMetrics(formFactor: judge.formFactor))
    }
}
