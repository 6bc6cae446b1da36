import StageflowReport

/// The limits the performance scanner holds each page to, with the fields of the measured figures (and decoded
/// from the scanner's `budgets` configuration); a metric over its budget is a finding.
///
/// Unset budgets of the scored metrics default to the form factor's p10 control point (the value Lighthouse
/// scores 0.9, its "good" limit): FCP 934 / 1800 ms, LCP 1200 / 2500 ms, TBT 150 / 200 ms (desktop / mobile),
/// CLS 0.1. Time to first byte defaults to 800 ms; transfer size and request count have no budget unless one
/// is configured.
public typealias PerformanceBudgets = PerformanceMetrics

extension PerformanceMetrics {
    /// The default time-to-first-byte budget, ms (web-vitals' "good" limit).
    public static let defaultTTFBMs: Double = 800

    /// These budgets with every default filled in for a form factor.
    public func resolved(for formFactor: LighthouseScoring.FormFactor) -> PerformanceBudgets {
        func p10(_ metric: LighthouseScoring.Metric) -> Double { LighthouseScoring.curve(metric, formFactor: formFactor).p10 }
        return PerformanceBudgets(
            fcpMs: fcpMs ?? p10(.fcp), lcpMs: lcpMs ?? p10(.lcp), cls: cls ?? p10(.cls), tbtMs: tbtMs ?? p10(.tbt),
            ttfbMs: ttfbMs ?? Self.defaultTTFBMs, transferBytes: transferBytes, requestCount: requestCount)
    }

    /// The figures as the report's page metrics, for the Performance score.
    func pageMetrics(formFactor: LighthouseScoring.FormFactor) -> PageMetrics {
        PageMetrics(
            formFactor: formFactor, fcpMs: fcpMs, lcpMs: lcpMs, tbtMs: tbtMs, cls: cls, ttfbMs: ttfbMs,
            transferBytes: transferBytes, requestCount: requestCount)
    }

    /// The figure of one scored metric (Speed Index is not measured: no filmstrip is recorded).
    func value(of metric: LighthouseScoring.Metric) -> Double? {
        switch metric {
        case .fcp: return fcpMs
        case .speedIndex: return nil
        case .lcp: return lcpMs
        case .tbt: return tbtMs
        case .cls: return cls
        case .ttfb: return ttfbMs
        case .transferBytes: return transferBytes
        }
    }
}
