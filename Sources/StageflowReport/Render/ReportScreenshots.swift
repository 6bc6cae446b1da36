import Foundation

/// The page (and journey step) screenshots a report's HTML embeds, gathered through whatever reads the job's objects (the
/// object store in the controller, the API server in `stageflowctl`), so that every HTML rendering of a
/// report carries its evidence the same way.
///
/// Pages with the most issues come first; once the embedded bytes would pass `budgetBytes`, further
/// screenshots are left out (the page then names the stored object), which keeps a report of a large site
/// a file a browser opens.
public struct ReportScreenshots: Sendable {
    /// Bytes by object key.
    public var images: [String: Data]
    /// Keys that could not be read.
    public var missing: [String]
    /// Keys left out for the budget.
    public var omitted: [String]

    /// The default budget: 24 MiB of images (about 32 MiB of HTML once encoded), room for some forty full-page
    /// screenshots of a documentation site.
    public static let defaultBudgetBytes = 24 << 20

    /// Gathers the screenshots of `report`'s pages with `read`; a read that throws is a missing screenshot.
    public static func gather(
        for report: Report, budgetBytes: Int = defaultBudgetBytes, read: (String) async throws -> Data
    ) async -> ReportScreenshots {
        let pages = report.pages.sorted { lhs, rhs in
            if lhs.issueCount != rhs.issueCount { return lhs.issueCount > rhs.issueCount }
            return lhs.url < rhs.url
        }
        var seen: Set<String> = []
        var gathered = ReportScreenshots(images: [:], missing: [], omitted: [])
        var used = 0
        // Pages with the most issues first, then the vision agent's journey steps in order.
        let keys = pages.compactMap { $0.screenshot?.key }
            + (report.journeys ?? []).flatMap(\.steps).compactMap { $0.screenshot?.key }
        for key in keys {
            guard seen.insert(key).inserted else { continue }
            guard used < budgetBytes else {
                gathered.omitted.append(key)
                continue
            }
            do {
                let data = try await read(key)
                guard used + data.count <= budgetBytes else {
                    gathered.omitted.append(key)
                    used = budgetBytes
                    continue
                }
                gathered.images[key] = data
                used += data.count
            } catch {
                gathered.missing.append(key)
            }
        }
        gathered.missing.sort()
        gathered.omitted.sort()
        return gathered
    }

    /// Renderer options embedding these screenshots.
    public func options(audience: HTMLReportRenderer.Audience = .developer) -> HTMLReportRenderer.Options {
        HTMLReportRenderer.Options(screenshots: images, audience: audience, omittedScreenshots: Set(omitted))
    }
}
