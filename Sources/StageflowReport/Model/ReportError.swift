/// Something that went wrong while scanning: a scanner that failed, was partial or skipped, or a page that
/// could not be scanned.
public struct ReportError: Codable, Sendable, Hashable {
    /// `scanner` or `page`.
    public var kind: Kind
    /// The scanner concerned.
    public var scanner: String?
    /// The page concerned, for page errors.
    public var pageId: String?
    /// Its URL.
    public var url: String?
    /// What went wrong.
    public var message: String

    /// What an error is about.
    public enum Kind: String, Codable, Sendable, Hashable {
        /// A scanner as a whole.
        case scanner
        /// One page of one scanner.
        case page
    }

    /// An error entry.
    public init(kind: Kind, scanner: String? = nil, pageId: String? = nil, url: String? = nil, message: String) {
        self.kind = kind
        self.scanner = scanner
        self.pageId = pageId
        self.url = url
        self.message = message
    }
}
