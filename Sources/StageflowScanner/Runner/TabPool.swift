/// The runner's tabs: opened as pages need them (one per page in flight), reused for later pages, closed at the
/// end of the run.
actor TabPool {
    private let browser: (any Browser)?
    private let options: TabOptions
    private var idle: [any LoadingTab] = []
    private var all: [any LoadingTab] = []

    init(browser: (any Browser)?, options: TabOptions) {
        self.browser = browser
        self.options = options
    }

    /// An idle tab, or a new one.
    func acquire() async throws -> any LoadingTab {
        if let tab = idle.popLast() { return tab }
        guard let browser else { throw BrowserError.unavailable("no browser in this run") }
        let tab = try await browser.openTab(options)
        all.append(tab)
        return tab
    }

    /// Puts a tab back for the next page.
    func release(_ tab: any LoadingTab) {
        idle.append(tab)
    }

    /// Closes every tab.
    func closeAll() async {
        for tab in all { await tab.close() }
        all = []
        idle = []
    }
}
