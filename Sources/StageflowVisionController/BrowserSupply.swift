import Foundation
import StageflowScanner

/// The vision controller's one browser, shared by its journeys (each in a tab and browser context of its own):
/// started when the first journey needs it, started again after it stopped.
actor BrowserSupply {
    private let launch: @Sendable () async throws -> any Browser
    private var current: (any Browser)?
    private var generation = 0

    /// A supply starting browsers with `launch` (a confined headless Chromium in production).
    init(launch: @escaping @Sendable () async throws -> any Browser) {
        self.launch = launch
    }

    /// The browser, started if needed, and its generation (for `discard`).
    func browser() async throws -> (browser: any Browser, generation: Int) {
        if let current { return (current, generation) }
        let browser = try await launch()
        current = browser
        generation += 1
        return (browser, generation)
    }

    /// Forgets the browser of `generation` when it stopped working (and closes it), so the next journey starts a
    /// new one; a later generation is left alone.
    func discard(generation: Int) async {
        guard generation == self.generation, let current else { return }
        self.current = nil
        await current.close()
    }

    /// Closes the browser.
    func close() async {
        await current?.close()
        current = nil
    }
}
