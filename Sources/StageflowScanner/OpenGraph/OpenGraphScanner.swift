import StageflowReport

/// The `open-graph` scanner: checks the Open Graph and Twitter card metadata that decides how a page looks
/// when it is shared — the required properties, their types and values, and whether `og:image` is an image
/// that can be loaded and is big enough (each image URL fetched once per run).
public struct OpenGraphScanner: PageScanner {
    /// `open-graph`.
    public let id = "open-graph"
    /// It reads only markup (and fetches images itself), so a plain fetch serves it as well as the browser.
    public let requiresBrowser = false

    /// The scanner's configuration (the manifest's `configSchema`); every field optional.
    public struct Configuration: Decodable, Sendable {
        /// Fetch each `og:image` to check that it loads, is an image and is not too large (default true).
        public var checkImages: Bool?
        /// Declared `og:image:width` below this is reported (default 200).
        public var minImageWidth: Int?
        /// Declared `og:image:height` below this is reported (default 200).
        public var minImageHeight: Int?
        /// An image whose `Content-Length` exceeds this many bytes is reported (default 8 MiB).
        public var maxImageBytes: Int?
        /// Limit on each image request, in seconds (default 10).
        public var timeoutSeconds: Int?

        /// A configuration.
        public init(
            checkImages: Bool? = nil, minImageWidth: Int? = nil, minImageHeight: Int? = nil, maxImageBytes: Int? = nil,
            timeoutSeconds: Int? = nil
        ) {
            self.checkImages = checkImages
            self.minImageWidth = minImageWidth
            self.minImageHeight = minImageHeight
            self.maxImageBytes = maxImageBytes
            self.timeoutSeconds = timeoutSeconds
        }
    }

    /// The `og:type` values of the Open Graph vocabulary.
    public static let knownTypes: Set<String> = [
        "website", "article", "book", "profile", "music.song", "music.album", "music.playlist", "music.radio_station",
        "video.movie", "video.episode", "video.tv_show", "video.other",
    ]

    /// A scanner.
    public init() {}

    /// Starts a run with the job's configuration.
    public func makeSession(_ setup: PageScanSetup) async throws -> any PageScanSession {
        let configuration = try setup.decodeConfig(Configuration.self)
        let settings = OpenGraphSettings(configuration)
        let probe = OpenGraphImageProbe(fetcher: setup.fetcher, timeout: .seconds(settings.timeoutSeconds))
        return OpenGraphScanSession(settings: settings, probe: probe)
    }
}
