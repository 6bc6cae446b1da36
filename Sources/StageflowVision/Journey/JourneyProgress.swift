import Foundation

/// Where a journey stands, written by the vision controller to `artifacts/<uid>/<scanner>/progress.json` while it
/// walks: the ScanJob controller shows it in the scanner's status message, and a restarted vision controller reads
/// it to know a journey was cut off (and how often), so it starts it over at most once.
public struct JourneyProgress: Codable, Sendable, Hashable {
    /// 1, or 2 for the one start-over after an interruption.
    public var attempt: Int
    /// `running` or `finished`.
    public var state: String
    /// Steps taken.
    public var step: Int
    /// The step budget.
    public var maxSteps: Int
    /// The page now.
    public var url: String?
    /// US dollars spent.
    public var costUSD: Double
    /// When this attempt started, RFC 3339.
    public var startedAt: String
    /// Which controller walks it (its lease identity).
    public var controller: String?
    /// Why earlier attempts ended, when they were cut off.
    public var interruptions: [String]?

    /// Progress.
    public init(
        attempt: Int, state: String = "running", step: Int = 0, maxSteps: Int, url: String? = nil, costUSD: Double = 0,
        startedAt: String, controller: String? = nil, interruptions: [String]? = nil
    ) {
        self.attempt = attempt
        self.state = state
        self.step = step
        self.maxSteps = maxSteps
        self.url = url
        self.costUSD = costUSD
        self.startedAt = startedAt
        self.controller = controller
        self.interruptions = interruptions
    }

    /// `step 3 of at most 15 on https://…`.
    public var summary: String {
        "attempt \(attempt): step \(step) of at most \(maxSteps)" + (url.map { " on \($0)" } ?? "")
            + String(format: ", US$%.4f spent", costUSD)
    }
}
