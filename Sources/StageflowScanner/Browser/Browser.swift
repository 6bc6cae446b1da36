import Foundation
import StageflowAPI

/// A browser that loads pages for the page scanners: headless Chromium over the DevTools Protocol
/// (`ChromiumBrowser`), or pages from memory in tests (`MemoryBrowser`).
public protocol Browser: Sendable {
    /// Opens a tab with a renderer process of its own (tabs of one site would otherwise share one renderer and
    /// run their scripts one at a time). The caller closes it.
    func openTab(_ options: TabOptions) async throws -> any LoadingTab
    /// Name and version, for the report.
    var version: String { get }
    /// Stops the browser.
    func close() async
}

/// A tab the runner drives: it loads pages and takes screenshots; page scanners see it as a `BrowserTab`.
public protocol LoadingTab: BrowserTab {
    /// Navigates to `url` and waits for the load event (at most `timeout`). A page that does not load is
    /// described in the result's `errors` with no `page`; only a browser that went away throws.
    func load(_ url: String, timeout: Duration) async throws -> TabLoad
    /// A PNG of the loaded page from its top, at most `maxHeight` CSS pixels tall.
    func screenshot(maxHeight: Int) async throws -> Screenshot
    /// Closes the tab.
    func close() async
}

/// How tabs are set up.
public struct TabOptions: Sendable {
    /// Viewport width in CSS pixels.
    public var width: Int
    /// Viewport height in CSS pixels.
    public var height: Int
    /// Scripts run in every document before its own.
    public var documentStartScripts: [String]
    /// Decides about every request the page makes, the document itself included; `nil` lets all through.
    public var requestGate: (any RequestGate)?
    /// The `User-Agent` to send; `nil` keeps the browser's.
    public var userAgent: String?
    /// Where the tab's traffic may go: every connection of its browser context (pages, workers, WebSockets,
    /// prefetches) leaves through an `EgressProxy` with this policy, and what it refuses becomes a page error.
    /// `nil` leaves the tab to the browser's own network settings.
    public var egress: EgressPolicy?

    /// Options; 1280×800 by default.
    public init(
        width: Int = 1280, height: Int = 800, documentStartScripts: [String] = [], requestGate: (any RequestGate)? = nil,
        userAgent: String? = nil, egress: EgressPolicy? = nil
    ) {
        self.width = width
        self.height = height
        self.documentStartScripts = documentStartScripts
        self.requestGate = requestGate
        self.userAgent = userAgent
        self.egress = egress
    }
}

/// What loading one page gave.
public struct TabLoad: Sendable {
    /// The page, when its document loaded (whatever its status code).
    public var page: LoadedPage?
    /// What went wrong: the document failed, the load timed out, requests were blocked by the gate.
    public var errors: [String]
    /// Uncaught script exceptions and `console.error` messages of the page, in order.
    public var scriptErrors: [String]

    /// A load.
    public init(page: LoadedPage?, errors: [String] = [], scriptErrors: [String] = []) {
        self.page = page
        self.errors = errors
        self.scriptErrors = scriptErrors
    }
}

/// A PNG screenshot.
public struct Screenshot: Sendable {
    /// The image.
    public var png: Data
    /// Width in CSS pixels.
    public var width: Double
    /// Height in CSS pixels.
    public var height: Double

    /// A screenshot.
    public init(png: Data, width: Double, height: Double) {
        self.png = png
        self.width = width
        self.height = height
    }
}

/// Decides about each request a page makes in the browser (the request-interception hook): the target policy
/// blocks forbidden addresses here, and hosts that cannot be reached are failed at once instead of timing out.
public protocol RequestGate: Sendable {
    /// Whether `url` may be requested; `isDocument` is true for the page's own (top-level) document.
    func decide(_ url: String, isDocument: Bool) async -> RequestDecision
}

/// A request gate's answer.
public enum RequestDecision: Sendable, Equatable {
    /// Let it through.
    case allow
    /// Refuse it, recorded as a page error with this reason.
    case block(reason: String)
    /// Fail it as the network would (the host does not resolve or answer), without a page error.
    case unreachable
}
