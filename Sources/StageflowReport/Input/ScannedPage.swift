/// A page a scanner visited.
public struct ScannedPage: Codable, Sendable, Hashable {
    /// The URL as navigated.
    public var url: String
    /// The document title.
    public var title: String?
    /// The HTTP status of the main document.
    public var httpStatus: Int?
    /// The full-page screenshot the finding boxes refer to.
    public var screenshot: ScreenshotReference?
    /// What went wrong on this page (navigation errors, timeouts, crashed tabs).
    public var errors: [String]?
    /// Rules the scanner checked on this page: each passed unless a finding of it is on the page (a finding
    /// always wins, so a scanner may list every rule it ran). When present, a rule neither here nor in a
    /// finding is inapplicable on the page; when absent, every rule the scanner declares or reports passes on
    /// a page without errors where it has no finding.
    public var passed: [String]?
    /// Rules that had nothing to check on this page.
    public var inapplicable: [String]?
    /// Lab metrics of the page load, from performance scanners.
    public var metrics: PageMetrics?

    /// A scanned page.
    public init(
        url: String, title: String? = nil, httpStatus: Int? = nil, screenshot: ScreenshotReference? = nil,
        errors: [String]? = nil, passed: [String]? = nil, inapplicable: [String]? = nil, metrics: PageMetrics? = nil
    ) {
        self.url = url
        self.title = title
        self.httpStatus = httpStatus
        self.screenshot = screenshot
        self.errors = errors
        self.passed = passed
        self.inapplicable = inapplicable
        self.metrics = metrics
    }
}

/// A screenshot in the object store and the size, in CSS pixels, of the page area it shows.
public struct ScreenshotReference: Codable, Sendable, Hashable {
    /// Object key of the image (PNG, JPEG or WebP).
    public var key: String
    /// Width in CSS pixels; bounding boxes use the same unit.
    public var width: Double?
    /// Height in CSS pixels.
    public var height: Double?

    /// A screenshot reference.
    public init(key: String, width: Double? = nil, height: Double? = nil) {
        self.key = key
        self.width = width
        self.height = height
    }
}

/// A rectangle on the page in CSS pixels, relative to the top-left corner of the full-page screenshot.
public struct BoundingBox: Codable, Sendable, Hashable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width.
    public var width: Double
    /// Height.
    public var height: Double

    /// A rectangle.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
