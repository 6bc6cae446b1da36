import Foundation
import Metrics

/// What the controller's journeys have spent on the model, all together: requests, tokens and US dollars, kept in
/// memory and counted in the controller's metrics (`stageflow_vision_model_requests_total`,
/// `stageflow_vision_tokens_total{kind}`, `stageflow_vision_cost_usd_total`). Each journey keeps its own totals
/// too; this is the view across them, since the account's spending is global.
public final class SpendLedger: @unchecked Sendable {
    /// Totals so far.
    public struct Totals: Sendable, Hashable {
        /// Model requests made (retries included).
        public var requests = 0
        /// Prompt tokens.
        public var promptTokens = 0
        /// Completion tokens.
        public var completionTokens = 0
        /// US dollars.
        public var costUSD = 0.0
        /// Journeys that finished.
        public var journeys = 0
    }

    private let lock = NSLock()
    private var totals = Totals()
    private let requests = Counter(label: "stageflow_vision_model_requests_total")
    private let promptTokens = Counter(label: "stageflow_vision_tokens_total", dimensions: [("kind", "prompt")])
    private let completionTokens = Counter(label: "stageflow_vision_tokens_total", dimensions: [("kind", "completion")])
    private let cost = FloatingPointCounter(label: "stageflow_vision_cost_usd_total")
    private let journeys = Counter(label: "stageflow_vision_journeys_total")

    /// An empty ledger.
    public init() {}

    /// Records one answered model call.
    public func record(requests count: Int, usage: ModelUsage, costUSD: Double) {
        lock.withLock {
            totals.requests += count
            totals.promptTokens += usage.promptTokens
            totals.completionTokens += usage.completionTokens
            totals.costUSD += costUSD
        }
        requests.increment(by: Int64(count))
        promptTokens.increment(by: Int64(usage.promptTokens))
        completionTokens.increment(by: Int64(usage.completionTokens))
        if costUSD > 0 { cost.increment(by: costUSD) }
    }

    /// Records a finished journey.
    public func recordJourney() {
        lock.withLock { totals.journeys += 1 }
        journeys.increment()
    }

    /// The totals now.
    public var snapshot: Totals { lock.withLock { totals } }
}
