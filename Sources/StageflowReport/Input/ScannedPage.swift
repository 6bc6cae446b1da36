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

    /// A scanned page.
    public init(
        url: String, title: String? = nil, httpStatus: Int? = nil, screenshot: ScreenshotReference? = nil,
        errors: [String]? = nil
    ) {
        self.url = url
        self.title = title
        self.httpStatus = httpStatus
        self.screenshot = screenshot
        self.errors = errors
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
