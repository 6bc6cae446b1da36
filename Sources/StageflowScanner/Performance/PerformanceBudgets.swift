/// The limits the performance scanner holds each page to; a metric over its budget is a finding.
///
/// Unset budgets of the scored metrics default to the form factor's p10 control point (the value Lighthouse
/// scores 0.9, its "good" limit): FCP 934 / 1800 ms, LCP 1200 / 2500 ms, TBT 150 / 200 ms (desktop / mobile),
/// CLS 0.1. Time to first byte defaults to 800 ms; transfer size and request count have no budget unless one
/// is configured.
public struct PerformanceBudgets: Decodable, Sendable, Hashable {
    /// First Contentful Paint, ms.
    public var fcpMs: Double?
    /// Largest Contentful Paint, ms.
    public var lcpMs: Double?
    /// Cumulative Layout Shift.
    public var cls: Double?
    /// Total Blocking Time, ms.
    public var tbtMs: Double?
    /// Time to First Byte, ms.
    public var ttfbMs: Double?
    /// Bytes over the wire for the whole page.
    public var transferBytes: Double?
    /// Requests for the whole page.
    public var requestCount: Int?

    /// Budgets; `nil` means the default.
    public init(
        fcpMs: Double? = nil, lcpMs: Double? = nil, cls: Double? = nil, tbtMs: Double? = nil, ttfbMs: Double? = nil,
        transferBytes: Double? = nil, requestCount: Int? = nil
    ) {
        self.fcpMs = fcpMs
        self.lcpMs = lcpMs
        self.cls = cls
        self.tbtMs = tbtMs
        self.ttfbMs = ttfbMs
        self.transferBytes = transferBytes
        self.requestCount = requestCount
    }

    /// The default time-to-first-byte budget, ms (web-vitals' "good" limit).
    public static let defaultTTFBMs: Double = 800

    /// These budgets with every default filled in for a form factor.
    public func resolved(for formFactor: LighthouseScoring.FormFactor) -> PerformanceBudgets {
        func p10(_ metric: LighthouseScoring.Metric) -> Double { LighthouseScoring.curve(metric, formFactor: formFactor).p10 }
        return PerformanceBudgets(
            fcpMs: fcpMs ?? p10(.fcp), lcpMs: lcpMs ?? p10(.lcp), cls: cls ?? p10(.cls), tbtMs: tbtMs ?? p10(.tbt),
            ttfbMs: ttfbMs ?? Self.defaultTTFBMs, transferBytes: transferBytes, requestCount: requestCount)
    }
}
