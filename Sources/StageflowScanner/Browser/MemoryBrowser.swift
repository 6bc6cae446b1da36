import Foundation
import StageflowAPI

/// A browser without a browser, for tests of what runs on loaded pages: pages come from a dictionary by URL,
/// scripts are answered by a closure.
public struct MemoryBrowser: Browser {
    /// Answers `evaluate` for a page URL and an expression.
    public typealias Evaluator = @Sendable (_ url: String, _ expression: String) throws -> JSONValue

    private let pages: [String: LoadedPage]
    private let evaluator: Evaluator

    /// A browser serving `pages` (keyed by URL); a URL not in it fails to load.
    public init(pages: [LoadedPage], evaluator: @escaping Evaluator = { _, _ in .null }) {
        self.pages = Dictionary(pages.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        self.evaluator = evaluator
    }

    /// `memory`.
    public var version: String { "memory" }

    /// A tab over the pages.
    public func openTab(_ options: TabOptions) async throws -> any LoadingTab {
        Tab(pages: pages, evaluator: evaluator, gate: options.requestGate)
    }

    /// Nothing to stop.
    public func close() async {}

    private final class Tab: LoadingTab, @unchecked Sendable {
        let pages: [String: LoadedPage]
        let evaluator: Evaluator
        let gate: (any RequestGate)?
        private let lock = NSLock()
        private var current: String?

        init(pages: [String: LoadedPage], evaluator: @escaping Evaluator, gate: (any RequestGate)?) {
            self.pages = pages
            self.evaluator = evaluator
            self.gate = gate
        }

        func load(_ url: String, timeout: Duration) async throws -> TabLoad {
            if let gate, case .block(let reason) = await gate.decide(url, isDocument: true) {
                return TabLoad(page: nil, errors: ["blocked: \(reason)"])
            }
            guard let page = pages[url] else { return TabLoad(page: nil, errors: ["net::ERR_CONNECTION_REFUSED"]) }
            lock.withLock { current = url }
            return TabLoad(page: page)
        }

        func evaluate(_ expression: String) async throws -> JSONValue {
            try evaluator(lock.withLock { current } ?? "about:blank", expression)
        }

        func screenshot(maxHeight: Int) async throws -> Screenshot {
            // A 1×1 transparent PNG.
            let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!
            return Screenshot(png: png, width: 1, height: 1)
        }

        func close() async {}
    }
}
