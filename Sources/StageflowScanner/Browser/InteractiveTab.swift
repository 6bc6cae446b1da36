import Foundation
import StageflowAPI

/// A tab that can be used as a person uses a page: click, type, choose, scroll, go back, and look at the viewport.
/// The vision agent drives one per journey; `CDPTab` implements it over the DevTools Protocol (real mouse and
/// keyboard events, so a control covered by another element is not clicked) and `MemorySiteBrowser` in memory.
public protocol InteractiveTab: LoadingTab {
    /// The DOM element a script expression evaluates to, as a handle for the other calls; `nil` when the
    /// expression gives no element.
    func element(_ expression: String) async throws -> ElementHandle?
    /// Scrolls the element into view and clicks its centre with the mouse; returns the point clicked (viewport
    /// CSS pixels), or `nil` when the element has no box to click (hidden, detached).
    func click(_ element: ElementHandle) async throws -> ViewportPoint?
    /// Focuses the element, replaces its value with `text` typed as keystrokes, and presses Enter when `submit`.
    func type(_ text: String, into element: ElementHandle, submit: Bool) async throws
    /// Chooses the option of a `<select>` whose value or visible text is `value`; returns whether there was one.
    func select(_ value: String, in element: ElementHandle) async throws -> Bool
    /// Scrolls the page by most of a viewport height.
    func scroll(_ direction: ScrollDirection) async throws
    /// Goes one entry back in the tab's history; returns `false` when there is none.
    func goBack() async throws -> Bool
    /// A marker of what the tab has seen so far, taken before an action so `settle(after:timeout:)` can tell what
    /// the action started.
    func mark() -> TabMark
    /// Waits until what the action since `mark` started has finished: a navigation loads (at most `timeout`), then
    /// the document stops changing for a moment. Says whether a new document was loaded.
    func settle(after mark: TabMark, timeout: Duration) async -> TabSettlement
    /// The visible part of the page (the viewport) as a JPEG, downscaled to at most `maxWidth` pixels wide.
    func viewportJPEG(maxWidth: Int, quality: Int) async throws -> ViewportImage
    /// What the page did since the last call (or since the tab opened): script errors, requests that failed, and
    /// connections the target policy refused.
    func drainActivity() -> TabActivity
}

/// A DOM element of the page in an `InteractiveTab`: opaque, valid while its document lives.
public struct ElementHandle: Sendable, Hashable {
    /// The browser's id for it (a DevTools remote object id; an index in memory).
    public let id: String

    /// A handle.
    public init(id: String) { self.id = id }
}

/// A point in the viewport, in CSS pixels.
public struct ViewportPoint: Sendable, Hashable, Codable {
    /// From the left edge.
    public var x: Double
    /// From the top edge.
    public var y: Double

    /// A point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Which way to scroll.
public enum ScrollDirection: String, Sendable, Hashable, Codable {
    /// Towards the top of the page.
    case up
    /// Towards the bottom of the page.
    case down
}

/// A snapshot of a tab's navigation counters, taken before an action.
public struct TabMark: Sendable, Hashable {
    /// Main-frame loads started so far.
    public var loadsStarted: Int
    /// Same-document navigations (history API, fragments) so far.
    public var sameDocumentNavigations: Int

    /// A mark.
    public init(loadsStarted: Int, sameDocumentNavigations: Int) {
        self.loadsStarted = loadsStarted
        self.sameDocumentNavigations = sameDocumentNavigations
    }
}

/// What an action led to, as far as navigation goes.
public struct TabSettlement: Sendable, Hashable {
    /// A new document was loaded into the main frame.
    public var loadedDocument: Bool
    /// The URL changed within the document (history API or fragment).
    public var navigatedWithinDocument: Bool
    /// A navigation was still loading when the timeout ran out.
    public var timedOut: Bool

    /// A settlement.
    public init(loadedDocument: Bool, navigatedWithinDocument: Bool, timedOut: Bool = false) {
        self.loadedDocument = loadedDocument
        self.navigatedWithinDocument = navigatedWithinDocument
        self.timedOut = timedOut
    }
}

/// A JPEG of the viewport.
public struct ViewportImage: Sendable {
    /// The image.
    public var jpeg: Data
    /// Its width in pixels.
    public var pixelWidth: Int
    /// Its height in pixels.
    public var pixelHeight: Int
    /// The viewport's width in CSS pixels (the image is this scaled by `pixelWidth / cssWidth`).
    public var cssWidth: Double
    /// The viewport's height in CSS pixels.
    public var cssHeight: Double

    /// An image.
    public init(jpeg: Data, pixelWidth: Int, pixelHeight: Int, cssWidth: Double, cssHeight: Double) {
        self.jpeg = jpeg
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
        self.cssWidth = cssWidth
        self.cssHeight = cssHeight
    }
}

/// What a page did between two looks.
public struct TabActivity: Sendable, Hashable {
    /// Uncaught exceptions and `console.error` messages.
    public var scriptErrors: [String]
    /// Requests that got no response, or an HTTP error status: `URL: reason`.
    public var failedRequests: [String]
    /// Requests and connections the target policy refused: `URL or host:port: reason`.
    public var blocked: [String]

    /// Activity.
    public init(scriptErrors: [String] = [], failedRequests: [String] = [], blocked: [String] = []) {
        self.scriptErrors = scriptErrors
        self.failedRequests = failedRequests
        self.blocked = blocked
    }

    /// Nothing happened.
    public var isEmpty: Bool { scriptErrors.isEmpty && failedRequests.isEmpty && blocked.isEmpty }
}
