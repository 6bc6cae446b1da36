import StageflowAPI

/// A page of the site with its screenshot and where its issues are on it.
public struct PageReport: Codable, Sendable, Hashable {
    /// Stable page id (see ``PageIdentifier``).
    public var id: String
    /// The page URL, normalised (see ``PageIdentifier/normalize(_:)``).
    public var url: String
    /// The document title.
    public var title: String?
    /// HTTP status of the main document.
    public var httpStatus: Int?
    /// The screenshot the issue boxes refer to (from the highest-priority scanner that took one).
    public var screenshot: ScreenshotReference?
    /// Scanners that visited the page, sorted.
    public var scanners: [String]
    /// Deduplicated issues on the page.
    public var issueCount: Int
    /// Issues per severity on the page.
    public var bySeverity: SeverityCounts
    /// Boxes to draw over the screenshot, one per issue occurrence with a bounding box.
    public var issueBoxes: [IssueBox]

    /// A page.
    public init(
        id: String, url: String, title: String? = nil, httpStatus: Int? = nil, screenshot: ScreenshotReference? = nil,
        scanners: [String] = [], issueCount: Int = 0, bySeverity: SeverityCounts = SeverityCounts(),
        issueBoxes: [IssueBox] = []
    ) {
        self.id = id
        self.url = url
        self.title = title
        self.httpStatus = httpStatus
        self.screenshot = screenshot
        self.scanners = scanners
        self.issueCount = issueCount
        self.bySeverity = bySeverity
        self.issueBoxes = issueBoxes
    }
}

/// Where an issue is on a page's screenshot.
public struct IssueBox: Codable, Sendable, Hashable {
    /// The issue's fingerprint.
    public var issueId: String
    /// The issue's severity, for the outline colour.
    public var severity: Severity
    /// The rectangle in CSS pixels of the screenshot.
    public var boundingBox: BoundingBox

    /// A box.
    public init(issueId: String, severity: Severity, boundingBox: BoundingBox) {
        self.issueId = issueId
        self.severity = severity
        self.boundingBox = boundingBox
    }
}
