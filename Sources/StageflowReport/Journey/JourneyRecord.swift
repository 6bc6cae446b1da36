/// One journey of the vision agent (`ai-navigator`): a goal pursued step by step in a real browser, how it ended,
/// and every step with its annotated screenshot, the model's thought, the action and its effect. Carried in the
/// scanner's `results.json` (`journey`) and in the unified report (`journeys`), where the HTML report shows it as
/// a filmstrip. The journey's findings (a dead control, an unreachable goal, console errors and failed requests
/// met on the way, accessibility violations of the states visited) are ordinary findings of the scanner; each
/// names its step in its message.
public struct JourneyRecord: Codable, Sendable, Hashable {
    /// The scanner that walked it (`ai-navigator`).
    public var scanner: String
    /// What the journey set out to do, in the job's words.
    public var goal: String
    /// Where it started.
    public var startURL: String
    /// The model asked, as the endpoint names it.
    public var model: String?
    /// How it ended.
    public var outcome: JourneyOutcome
    /// The steps, in order.
    public var steps: [JourneyStepRecord]
    /// Steps, tokens, cost and time over the journey.
    public var totals: JourneyTotals
    /// 1 for a journey that ran through; 2 when it was started over after its controller stopped mid-journey.
    public var attempt: Int

    /// A journey.
    public init(
        scanner: String, goal: String, startURL: String, model: String? = nil, outcome: JourneyOutcome,
        steps: [JourneyStepRecord] = [], totals: JourneyTotals = JourneyTotals(), attempt: Int = 1
    ) {
        self.scanner = scanner
        self.goal = goal
        self.startURL = startURL
        self.model = model
        self.outcome = outcome
        self.steps = steps
        self.totals = totals
        self.attempt = attempt
    }

    /// The journeys among a job's scanner results, by scanner id.
    public static func collect(from results: [ScannerResults]) -> [JourneyRecord]? {
        let journeys = results.compactMap(\.journey).sorted { $0.scanner < $1.scanner }
        return journeys.isEmpty ? nil : journeys
    }
}

/// How a journey ended.
public struct JourneyOutcome: Codable, Sendable, Hashable {
    /// Whether the goal was reached.
    public var reached: Bool
    /// Why it ended.
    public var reason: JourneyEndReason
    /// In words: what happened, what stopped it.
    public var message: String
    /// The step it ended at.
    public var step: Int?

    /// An outcome.
    public init(reached: Bool, reason: JourneyEndReason, message: String, step: Int? = nil) {
        self.reached = reached
        self.reason = reason
        self.message = message
        self.step = step
    }

    /// Whose fault the end is: the site's, the agent's (the model or its endpoint), the budget's, or nobody's.
    public var fault: JourneyFault { reason.fault }
}

/// Why a journey ended.
public enum JourneyEndReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// The goal was reached (and, when the job gave a success check, the check held).
    case goalReached = "GoalReached"
    /// The agent concluded the goal cannot be reached here, or claimed success that the success check refuted.
    case goalUnreachable = "GoalUnreachable"
    /// A control did nothing when used: no navigation, no change on the page.
    case deadControl = "DeadControl"
    /// The same page state came back three times, or an action changed nothing.
    case loopDetected = "LoopDetected"
    /// The step, cost or time budget ran out.
    case budgetExhausted = "BudgetExhausted"
    /// The model's answers could not be used (an invalid action twice in a row).
    case agentError = "AgentError"
    /// The model endpoint refused or failed (out of credits, bad key, unreachable after retries).
    case modelUnavailable = "ModelUnavailable"
    /// The start page could not be opened.
    case startFailed = "StartFailed"

    /// Whose fault an end of this kind is.
    public var fault: JourneyFault {
        switch self {
        case .goalReached: return .none
        case .goalUnreachable, .deadControl, .loopDetected, .startFailed: return .site
        case .budgetExhausted: return .budget
        case .agentError, .modelUnavailable: return .agent
        }
    }
}

/// Whose fault the end of a journey is: an audit tells the site's faults from its own agent's.
public enum JourneyFault: String, Codable, Sendable, Hashable {
    /// Nobody's: the goal was reached.
    case none
    /// The site's: the goal is unreachable, a control is dead, the site loops.
    case site
    /// The agent's: the model or its endpoint.
    case agent
    /// The budget's: it ran out first.
    case budget
}

/// Steps, tokens, cost and time of a journey (or of one step).
public struct JourneyTotals: Codable, Sendable, Hashable {
    /// Steps taken.
    public var steps: Int
    /// Requests made to the model (re-asks and retries included).
    public var modelRequests: Int
    /// Prompt tokens, as the endpoint counted them.
    public var promptTokens: Int
    /// Completion tokens.
    public var completionTokens: Int
    /// Cost in US dollars, as the endpoint reported it (or computed from the configured prices).
    public var costUSD: Double
    /// Wall time, milliseconds.
    public var durationMs: Int64
    /// Of which waiting for the model, milliseconds.
    public var modelMs: Int64

    /// Totals.
    public init(
        steps: Int = 0, modelRequests: Int = 0, promptTokens: Int = 0, completionTokens: Int = 0, costUSD: Double = 0,
        durationMs: Int64 = 0, modelMs: Int64 = 0
    ) {
        self.steps = steps
        self.modelRequests = modelRequests
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.durationMs = durationMs
        self.modelMs = modelMs
    }
}
