import Foundation
import StageflowScanner

/// The floor a full page scan is compared with: one Chromium, `tabs` tabs (each in a browser context, so a
/// renderer, of its own), and per page nothing but navigation, injecting axe and one `axe.run()`.
enum NavigationFloor {
    /// Seconds the floor takes over `paths` below `base`; with `probe`, requests to hosts it finds unreachable
    /// fail at once, as the scanners' own gate makes them.
    static func seconds(
        base: String, paths: [String], axe: AxeSource, tabs count: Int, probe: (any ReachabilityProbe)? = nil
    ) async throws -> Double {
        let browser = try await ChromiumBrowser.launch()
        let gate = probe.map { ProbeOnlyGate(probe: $0) }
        var tabs: [any LoadingTab] = []
        for _ in 0..<max(1, count) { tabs.append(try await browser.openTab(TabOptions(requestGate: gate))) }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, tab) in tabs.enumerated() {
                let mine = stride(from: index, to: paths.count, by: tabs.count).map { paths[$0] }
                group.addTask {
                    for path in mine {
                        _ = try await tab.load(base + path, timeout: .seconds(60))
                        _ = try await tab.evaluate(axe.source + "\n;0")
                        _ = try await tab.evaluate("axe.run(document).then(r => r.violations.length)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (ContinuousClock.now - start).seconds
        for tab in tabs { await tab.close() }
        await browser.close()
        return seconds
    }
}

/// Only the reachability side of the runner's gate, for the floor with fail-fast.
private struct ProbeOnlyGate: RequestGate {
    let probe: any ReachabilityProbe
    func decide(_ url: String, isDocument: Bool) async -> RequestDecision {
        guard !isDocument, let components = URLComponents(string: url), let host = components.host else { return .allow }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        return await probe.isReachable(host: host, port: port) ? .allow : .unreachable
    }
}
