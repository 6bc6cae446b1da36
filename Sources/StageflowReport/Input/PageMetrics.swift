/// Lab metrics of one page load, as a performance scanner measured them; the report scores them on
/// Lighthouse's curves (see ``LighthouseScoring``). A figure that could not be measured is `nil`.
public struct PageMetrics: Codable, Sendable, Hashable {
    /// Whose control points score the figures: `mobile` or `desktop`.
    public var formFactor: LighthouseScoring.FormFactor
    /// First Contentful Paint, ms.
    public var fcpMs: Double?
    /// Speed Index, ms (scanners that record a filmstrip of the load).
    public var speedIndexMs: Double?
    /// Largest Contentful Paint, ms.
    public var lcpMs: Double?
    /// Total Blocking Time, ms.
    public var tbtMs: Double?
    /// Cumulative Layout Shift.
    public var cls: Double?
    /// Time to First Byte of the document, ms (shown, not weighted).
    public var ttfbMs: Double?
    /// Bytes over the wire (shown, not weighted).
    public var transferBytes: Double?
    /// Requests made (shown, not weighted).
    public var requestCount: Int?

    /// Metrics of one load.
    public init(
        formFactor: LighthouseScoring.FormFactor, fcpMs: Double? = nil, speedIndexMs: Double? = nil, lcpMs: Double? = nil,
        tbtMs: Double? = nil, cls: Double? = nil, ttfbMs: Double? = nil, transferBytes: Double? = nil, requestCount: Int? = nil
    ) {
        self.formFactor = formFactor
        self.fcpMs = fcpMs
        self.speedIndexMs = speedIndexMs
        self.lcpMs = lcpMs
        self.tbtMs = tbtMs
        self.cls = cls
        self.ttfbMs = ttfbMs
        self.transferBytes = transferBytes
        self.requestCount = requestCount
    }

    /// The measured value of a metric.
    public func value(of metric: LighthouseScoring.Metric) -> Double? {
        switch metric {
        case .fcp: return fcpMs
        case .speedIndex: return speedIndexMs
        case .lcp: return lcpMs
        case .tbt: return tbtMs
        case .cls: return cls
        case .ttfb: return ttfbMs
        case .transferBytes: return transferBytes
        }
    }
}
