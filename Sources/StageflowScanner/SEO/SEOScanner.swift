import StageflowReport

/// The `seo` scanner: reads each loaded page's markup and response headers for what search engines need —
/// title, meta description, headings, canonical URL, robots directives, hreflang alternates, image
/// alternatives, link text and crawlable links, JSON-LD syntax, language and viewport — and, once every page
/// is seen, titles and descriptions that several pages share.
public struct SEOScanner: PageScanner {
    /// `seo`.
    public let id = "seo"
    /// It reads only markup and headers, so a plain fetch serves it as well as the browser.
    public let requiresBrowser = false

    /// The scanner's configuration (the manifest's `configSchema`); every field optional.
    public struct Configuration: Decodable, Sendable {
        /// Titles longer than this many characters are reported (default 60).
        public var maxTitleLength: Int?
        /// Titles shorter than this many characters are reported (default: no lower bound).
        public var minTitleLength: Int?
        /// Meta descriptions longer than this many characters are reported (default 160).
        public var maxDescriptionLength: Int?
        /// Link texts that say nothing about the target, compared case-insensitively without surrounding
        /// punctuation (default: an English list, `SEOScanner.defaultNonDescriptiveLinkTexts`).
        public var nonDescriptiveLinkTexts: [String]?

        /// A configuration.
        public init(
            maxTitleLength: Int? = nil, minTitleLength: Int? = nil, maxDescriptionLength: Int? = nil,
            nonDescriptiveLinkTexts: [String]? = nil
        ) {
            self.maxTitleLength = maxTitleLength
            self.minTitleLength = minTitleLength
            self.maxDescriptionLength = maxDescriptionLength
            self.nonDescriptiveLinkTexts = nonDescriptiveLinkTexts
        }
    }

    /// Link texts reported as non-descriptive by default.
    public static let defaultNonDescriptiveLinkTexts = [
        "click here", "click", "click this", "here", "right here", "go here", "more", "read more", "learn more",
        "see more", "view more", "more info", "more information", "more details", "details", "info", "link",
        "this link", "this", "this page", "go", "start", "continue",
    ]

    /// A scanner.
    public init() {}

    /// Starts a run with the job's configuration.
    public func makeSession(_ setup: PageScanSetup) async throws -> any PageScanSession {
        let configuration = try setup.decodeConfig(Configuration.self)
        try Self.validate(configuration)
        return SEOScanSession(settings: SEOSettings(configuration))
    }

    /// Rejects limits that cannot be meant (the manifest's schema says the same).
    static func validate(_ configuration: Configuration) throws {
        for (name, value) in [
            ("maxTitleLength", configuration.maxTitleLength), ("minTitleLength", configuration.minTitleLength),
            ("maxDescriptionLength", configuration.maxDescriptionLength),
        ] {
            if let value, value < 1 {
                throw ScannerRunError(.badInput, "configuration of scanner \"seo\" is invalid: \(name) must be at least 1")
            }
        }
    }
}
