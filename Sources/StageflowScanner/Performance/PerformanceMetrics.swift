/// The lab metrics of one page load, computed from what the page's script recorded and what the browser's
/// network log saw. A figure that could not be measured is `nil`.
public struct PerformanceMetrics: Decodable, Sendable, Hashable {
    /// First Contentful Paint, ms.
    public var fcpMs: Double?
    /// Largest Contentful Paint, ms.
    public var lcpMs: Double?
    /// Cumulative Layout Shift: the largest session window (see ``cumulativeLayoutShift(_:)``).
    public var cls: Double?
    /// Total Blocking Time, ms (see ``totalBlockingTime(_:firstContentfulPaint:)``).
    public var tbtMs: Double?
    /// Time to First Byte of the main document, ms.
    public var ttfbMs: Double?
    /// Bytes over the wire, every request of the page.
    public var transferBytes: Double?
    /// Requests made, the document included.
    public var requestCount: Int?

    /// Metrics given directly.
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

    /// Metrics of a load: paint and layout figures from the sample; request count, transfer size and time to
    /// first byte from the network log when there is one (it sees every request, cross-origin and cached
    /// ones included, where resource timing reports 0 bytes), else from navigation and resource timing.
    public init(sample: PerformanceSample, network: PageNetworkSummary?) {
        fcpMs = sample.fcp
        lcpMs = sample.lcp
        cls = Self.cumulativeLayoutShift(sample.layoutShifts)
        tbtMs = sample.longTasks.map { Self.totalBlockingTime($0, firstContentfulPaint: sample.fcp) }
        if let ttfb = network?.timeToFirstByteMs {
            ttfbMs = ttfb
        } else if let navigation = sample.navigation, let responseStart = navigation.responseStart, responseStart > 0 {
            ttfbMs = max(0, responseStart - navigation.startTime)
        }
        if let network {
            transferBytes = Double(network.transferBytes)
            requestCount = network.requestCount
        } else if let resources = sample.resources {
            let document = sample.navigation == nil ? 0 : 1
            transferBytes = resources.transferSize + (sample.navigation?.transferSize ?? 0)
            requestCount = resources.count + document
        }
    }

    /// CLS as Lighthouse and web-vitals define it: shifts are grouped into session windows — a window ends at
    /// a gap of 1 s or more between shifts, or when it would span more than 5 s — and CLS is the largest
    /// window's sum. Shifts right after input are already left out by the page script.
    public static func cumulativeLayoutShift(_ shifts: [PerformanceSample.LayoutShift]) -> Double {
        var largest = 0.0
        var current = 0.0
        var windowStart = 0.0
        var previous: Double?
        for shift in shifts.sorted(by: { $0.startTime < $1.startTime }) {
            if let last = previous, shift.startTime - last < 1000, shift.startTime - windowStart < 5000 {
                current += shift.value
            } else {
                current = shift.value
                windowStart = shift.startTime
            }
            previous = shift.startTime
            largest = max(largest, current)
        }
        return largest
    }

    /// TBT after Lighthouse: for each long task, the part of it beyond its first 50 ms that falls after First
    /// Contentful Paint counts as blocking; TBT is their sum. (Lighthouse stops at Time to Interactive; we stop
    /// where the page's load was measured.) Without FCP every task counts from its start.
    public static func totalBlockingTime(_ tasks: [PerformanceSample.LongTask], firstContentfulPaint: Double?) -> Double {
        let from = firstContentfulPaint ?? 0
        return tasks.reduce(0) { total, task in
            let blockingStart = max(task.startTime + 50, from)
            let end = task.startTime + task.duration
            return total + max(0, end - blockingStart)
        }
    }
}
