import Foundation

/// What the archive server of a job's pod reports once it has extracted the uploaded archive: written to
/// `artifacts/<job-uid>/site.json` by `stageflow archive serve`, read by the controller to leave Extracting.
/// Either the site is served (its loopback origin and the pages to scan), or the archive was refused (the
/// check that refused it), or extraction failed for another reason.
public struct ArchiveSite: Codable, Sendable, Hashable {
    /// How extraction ended.
    public enum State: String, Codable, Sendable {
        /// Extracted and served at `origin`.
        case serving = "Serving"
        /// Refused by a safety check (`check` names it): the job fails with reason `UnsafeArchive`.
        case rejected = "Rejected"
        /// The archive could not be read or the workspace not used.
        case failed = "Failed"
    }

    /// How extraction ended.
    public var state: State
    /// `http://127.0.0.1:PORT` while serving.
    public var origin: String?
    /// Paths of the HTML pages in the archive, root first, then in path order (at most `ArchiveSite.maxPages`).
    public var pages: [String]?
    /// Files extracted.
    public var files: Int?
    /// Bytes extracted.
    public var bytes: Int64?
    /// The safety check that refused the archive (`traversal`, `ratio`, …).
    public var check: String?
    /// What went wrong, for people.
    public var message: String?

    /// A report.
    public init(
        state: State, origin: String? = nil, pages: [String]? = nil, files: Int? = nil, bytes: Int64? = nil,
        check: String? = nil, message: String? = nil
    ) {
        self.state = state
        self.origin = origin
        self.pages = pages
        self.files = files
        self.bytes = bytes
        self.check = check
        self.message = message
    }

    /// Pages of an archive scanned when the job does not crawl: as many as a URL job may list.
    public static let maxPages = 100

    /// The URLs to scan: every page of the archive under the served origin.
    public var pageURLs: [String] {
        guard let origin else { return [] }
        return (pages ?? []).map { origin + "/" + $0.split(separator: "/", omittingEmptySubsequences: false).map(Self.escape).joined(separator: "/") }
    }

    private static func escape(_ component: Substring) -> String {
        component.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? String(component)
    }
}
