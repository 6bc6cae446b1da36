/// What the performance scanner's script read in the page (``PerformanceScript/collect``), before any
/// computation: times in milliseconds since the navigation started.
public struct PerformanceSample: Decodable, Sendable, Hashable {
    /// One layout shift not caused by recent input.
    public struct LayoutShift: Decodable, Sendable, Hashable {
        /// When it happened.
        public var startTime: Double
        /// Its layout-shift score.
        public var value: Double

        /// A shift.
        public init(startTime: Double, value: Double) {
            self.startTime = startTime
            self.value = value
        }
    }

    /// One task that kept the main thread busy for 50 ms or more.
    public struct LongTask: Decodable, Sendable, Hashable {
        /// When it started.
        public var startTime: Double
        /// How long it ran.
        public var duration: Double

        /// A long task.
        public init(startTime: Double, duration: Double) {
            self.startTime = startTime
            self.duration = duration
        }
    }

    /// The main document's navigation timing.
    public struct Navigation: Decodable, Sendable, Hashable {
        /// Start of the navigation (0 for the document's own navigation).
        public var startTime: Double
        /// When the first byte of the response arrived.
        public var responseStart: Double?
        /// End of `DOMContentLoaded`.
        public var domContentLoaded: Double?
        /// End of the `load` event.
        public var loadEventEnd: Double?
        /// Bytes of the document's response over the wire.
        public var transferSize: Double?

        /// Navigation timing.
        public init(
            startTime: Double = 0, responseStart: Double? = nil, domContentLoaded: Double? = nil,
            loadEventEnd: Double? = nil, transferSize: Double? = nil
        ) {
            self.startTime = startTime
            self.responseStart = responseStart
            self.domContentLoaded = domContentLoaded
            self.loadEventEnd = loadEventEnd
            self.transferSize = transferSize
        }
    }

    /// The subresources of resource timing.
    public struct Resources: Decodable, Sendable, Hashable {
        /// Subresources fetched.
        public var count: Int
        /// Their bytes over the wire (0 for cross-origin ones without `Timing-Allow-Origin`, and cached ones).
        public var transferSize: Double

        /// Resource totals.
        public init(count: Int, transferSize: Double) {
            self.count = count
            self.transferSize = transferSize
        }
    }

    /// Whether the document-start observers ran (without them long tasks are unknown).
    public var installed: Bool
    /// First contentful paint.
    public var fcp: Double?
    /// The last largest-contentful-paint candidate.
    public var lcp: Double?
    /// Layout shifts without recent input.
    public var layoutShifts: [LayoutShift]
    /// Long tasks; `nil` when they were not observed.
    public var longTasks: [LongTask]?
    /// Navigation timing, when the browser has it.
    public var navigation: Navigation?
    /// Resource timing totals.
    public var resources: Resources?

    /// A sample.
    public init(
        installed: Bool = true, fcp: Double? = nil, lcp: Double? = nil, layoutShifts: [LayoutShift] = [],
        longTasks: [LongTask]? = [], navigation: Navigation? = nil, resources: Resources? = nil
    ) {
        self.installed = installed
        self.fcp = fcp
        self.lcp = lcp
        self.layoutShifts = layoutShifts
        self.longTasks = longTasks
        self.navigation = navigation
        self.resources = resources
    }

    private enum CodingKeys: String, CodingKey {
        case installed, fcp, lcp, layoutShifts, longTasks, navigation, resources
    }

    /// Decodes the script's JSON; missing arrays are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        installed = try container.decodeIfPresent(Bool.self, forKey: .installed) ?? false
        fcp = try container.decodeIfPresent(Double.self, forKey: .fcp)
        lcp = try container.decodeIfPresent(Double.self, forKey: .lcp)
        layoutShifts = try container.decodeIfPresent([LayoutShift].self, forKey: .layoutShifts) ?? []
        longTasks = try container.decodeIfPresent([LongTask].self, forKey: .longTasks)
        navigation = try container.decodeIfPresent(Navigation.self, forKey: .navigation)
        resources = try container.decodeIfPresent(Resources.self, forKey: .resources)
    }
}
