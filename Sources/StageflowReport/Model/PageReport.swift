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
    /// Issues on the page (one per rule violated).
    public var issueCount: Int
    /// Element occurrences of those issues.
    public var occurrenceCount: Int
    /// Items on the page that need review (one per rule).
    public var needsReviewCount: Int
    /// Issues per severity on the page.
    public var bySeverity: SeverityCounts
    /// The page's Performance score, 0…100, when a scanner measured its metrics.
    public var performanceScore: Double?
    /// Boxes to draw over the screenshot, one per issue occurrence with a bounding box.
    public var issueBoxes: [IssueBox]

    /// A page.
    public init(
        id: String, url: String, title: String? = nil, httpStatus: Int? = nil, screenshot: ScreenshotReference? = nil,
        scanners: [String] = [], issueCount: Int = 0, occurrenceCount: Int? = nil, needsReviewCount: Int = 0,
        bySeverity: SeverityCounts = SeverityCounts(), performanceScore: Double? = nil, issueBoxes: [IssueBox] = []
    ) {
        self.id = id
        self.url = url
        self.title = title
        self.httpStatus = httpStatus
        self.screenshot = screenshot
        self.scanners = scanners
        self.issueCount = issueCount
        self.occurrenceCount = occurrenceCount ?? issueCount
        self.needsReviewCount = needsReviewCount
        self.bySeverity = bySeverity
        self.performanceScore = performanceScore
        self.issueBoxes = issueBoxes
    }

    /// Reads contract 3 pages, and contract 2 ones (no occurrence or review counts).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        url = try container.decode(String.self, forKey: .url)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        httpStatus = try container.decodeIfPresent(Int.self, forKey: .httpStatus)
        screenshot = try container.decodeIfPresent(ScreenshotReference.self, forKey: .screenshot)
        scanners = try container.decodeIfPresent([String].self, forKey: .scanners) ?? []
        issueCount = try container.decodeIfPresent(Int.self, forKey: .issueCount) ?? 0
        occurrenceCount = try container.decodeIfPresent(Int.self, forKey: .occurrenceCount) ?? issueCount
        needsReviewCount = try container.decodeIfPresent(Int.self, forKey: .needsReviewCount) ?? 0
        bySeverity = try container.decodeIfPresent(SeverityCounts.self, forKey: .bySeverity) ?? SeverityCounts()
        performanceScore = try container.decodeIfPresent(Double.self, forKey: .performanceScore)
        issueBoxes = try container.decodeIfPresent([IssueBox].self, forKey: .issueBoxes) ?? []
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
