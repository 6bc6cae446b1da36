import Foundation
import StageflowAPI

/// A browser over a site held in memory whose pages have controls one can click, type into and choose from: the
/// in-memory twin of an `InteractiveTab`, for tests of what drives a page step by step. Scripts are answered by a
/// closure that sees the page as it stands (which page, what was typed, how far it is scrolled); an element
/// expression is resolved to a control index by another.
public struct MemorySiteBrowser: Browser {
    /// A page of the site.
    public struct Page: Sendable {
        /// Its URL.
        public var url: String
        /// Its title.
        public var title: String
        /// Its controls, by index.
        public var controls: [Control]
        /// What a person would see on it, for tests that read it.
        public var text: String

        /// A page.
        public init(url: String, title: String, controls: [Control], text: String = "") {
            self.url = url
            self.title = title
            self.controls = controls
            self.text = text
        }
    }

    /// A control of a page.
    public struct Control: Sendable {
        /// Its role (`link`, `button`, `textbox`, `combobox`).
        public var role: String
        /// Its accessible name.
        public var name: String
        /// What clicking it does.
        public var effect: Effect
        /// The options of a select.
        public var options: [String]

        /// A control.
        public init(role: String, name: String, effect: Effect = .nothing, options: [String] = []) {
            self.role = role
            self.name = name
            self.effect = effect
            self.options = options
        }
    }

    /// What clicking (or submitting) a control does.
    public enum Effect: Sendable {
        /// Loads another page of the site.
        case navigate(String)
        /// Nothing at all (a dead control).
        case nothing
        /// Shows a message on the page (adds it to its text).
        case reveal(String)
    }

    /// The page as it stands in a tab.
    public struct Snapshot: Sendable {
        /// The page.
        public var page: Page
        /// What was typed or chosen, by control index.
        public var values: [Int: String]
        /// Scroll offset in viewports.
        public var scrolled: Int
        /// Messages revealed by controls.
        public var revealed: [String]
    }

    /// Answers `evaluate`.
    public typealias Evaluator = @Sendable (_ snapshot: Snapshot, _ expression: String) throws -> JSONValue
    /// The control index an element expression names, if any.
    public typealias ElementResolver = @Sendable (_ expression: String) -> Int?

    private let pages: [String: Page]
    private let evaluator: Evaluator
    private let resolver: ElementResolver

    /// A browser over `pages`.
    public init(pages: [Page], evaluator: @escaping Evaluator, resolver: @escaping ElementResolver) {
        self.pages = Dictionary(pages.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        self.evaluator = evaluator
        self.resolver = resolver
    }

    /// `memory`.
    public var version: String { "memory" }

    /// A tab over the site.
    public func openTab(_ options: TabOptions) async throws -> any LoadingTab {
        Tab(pages: pages, evaluator: evaluator, resolver: resolver, gate: options.requestGate)
    }

    /// Nothing to stop.
    public func close() async {}

    private final class Tab: InteractiveTab, @unchecked Sendable {
        let pages: [String: Page]
        let evaluator: Evaluator
        let resolver: ElementResolver
        let gate: (any RequestGate)?
        private let lock = NSLock()
        private var history: [Snapshot] = []
        private var loads = 0
        private var blocked: [String] = []

        init(pages: [String: Page], evaluator: @escaping Evaluator, resolver: @escaping ElementResolver, gate: (any RequestGate)?) {
            self.pages = pages
            self.evaluator = evaluator
            self.resolver = resolver
            self.gate = gate
        }

        private var current: Snapshot? { lock.withLock { history.last } }

        private func update(_ change: (inout Snapshot) -> Void) {
            lock.withLock {
                guard var snapshot = history.popLast() else { return }
                change(&snapshot)
                history.append(snapshot)
            }
        }

        func load(_ url: String, timeout: Duration) async throws -> TabLoad {
            if let gate, case .block(let reason) = await gate.decide(url, isDocument: true) {
                lock.withLock { blocked.append("\(url): \(reason)") }
                return TabLoad(page: nil, errors: ["blocked: \(url): \(reason)"])
            }
            guard let page = pages[url] else { return TabLoad(page: nil, errors: ["net::ERR_CONNECTION_REFUSED"]) }
            lock.withLock {
                history.append(Snapshot(page: page, values: [:], scrolled: 0, revealed: []))
                loads += 1
            }
            return TabLoad(page: LoadedPage(url: url, html: "<title>\(page.title)</title>"))
        }

        func evaluate(_ expression: String) async throws -> JSONValue {
            guard let snapshot = current else { return .null }
            return try evaluator(snapshot, expression)
        }

        func screenshot(maxHeight: Int) async throws -> Screenshot {
            Screenshot(png: Data(), width: 1, height: 1)
        }

        func close() async {}

        func element(_ expression: String) async throws -> ElementHandle? {
            guard let index = resolver(expression), let snapshot = current, snapshot.page.controls.indices.contains(index) else {
                return nil
            }
            return ElementHandle(id: String(index))
        }

        private func control(_ element: ElementHandle) -> Control? {
            guard let index = Int(element.id), let snapshot = current, snapshot.page.controls.indices.contains(index) else { return nil }
            return snapshot.page.controls[index]
        }

        func click(_ element: ElementHandle) async throws -> ViewportPoint? {
            guard let control = control(element) else { return nil }
            try await apply(control.effect)
            return ViewportPoint(x: 1, y: 1)
        }

        private func apply(_ effect: Effect) async throws {
            switch effect {
            case .navigate(let url): _ = try await load(url, timeout: .seconds(1))
            case .nothing: break
            case .reveal(let message): update { $0.revealed.append(message) }
            }
        }

        func type(_ text: String, into element: ElementHandle, submit: Bool) async throws {
            guard let index = Int(element.id), let control = control(element) else { return }
            update { $0.values[index] = text }
            if submit { try await apply(control.effect) }
        }

        func select(_ value: String, in element: ElementHandle) async throws -> Bool {
            guard let index = Int(element.id), let control = control(element), control.options.contains(value) else { return false }
            update { $0.values[index] = value }
            return true
        }

        func scroll(_ direction: ScrollDirection) async throws {
            update { $0.scrolled = max(0, $0.scrolled + (direction == .down ? 1 : -1)) }
        }

        func goBack() async throws -> Bool {
            lock.withLock {
                guard history.count > 1 else { return false }
                history.removeLast()
                loads += 1
                return true
            }
        }

        func mark() -> TabMark { lock.withLock { TabMark(loadsStarted: loads, sameDocumentNavigations: 0) } }

        func settle(after mark: TabMark, timeout: Duration) async -> TabSettlement {
            TabSettlement(loadedDocument: lock.withLock { loads } > mark.loadsStarted, navigatedWithinDocument: false)
        }

        func viewportJPEG(maxWidth: Int, quality: Int) async throws -> ViewportImage {
            // The smallest JPEG there is: SOI, EOI.
            ViewportImage(jpeg: Data([0xFF, 0xD8, 0xFF, 0xD9]), pixelWidth: maxWidth, pixelHeight: maxWidth * 5 / 8, cssWidth: 1280, cssHeight: 800)
        }

        func drainActivity() -> TabActivity {
            lock.withLock {
                defer { blocked = [] }
                return TabActivity(blocked: blocked)
            }
        }
    }
}
