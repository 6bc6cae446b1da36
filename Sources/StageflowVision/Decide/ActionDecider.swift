import Foundation
import StageflowAPI
import StageflowScanner

/// Asks the model for the next action: builds the request (the rules, the step's text and the marked screenshot as a
/// JPEG data URL, the action's schema as `response_format`), reads the answer, and re-asks once when the answer is
/// not a valid action for the page. A second invalid answer is an agent error.
struct ActionDecider: Sendable {
    let model: any ModelClient
    let modelName: String
    let pricing: ModelPricing?
    let includeUsageCost: Bool
    let imageDetail: String

    /// A decision and what it cost.
    struct Outcome: Sendable {
        var decision: AgentDecision
        var cost: StepCost
    }

    /// What a step's model calls took.
    struct StepCost: Sendable {
        var requests = 0
        var usage = ModelUsage()
        var costUSD = 0.0
        var modelTime = Duration.zero
        /// Bytes of the first request (the step's own; a re-ask sends it again with more).
        var requestBytes = 0
        /// Time spent building the first request (prompt text, image encoding, JSON), excluding the model.
        var buildTime = Duration.zero

        mutating func add(_ reply: ModelReply, pricing: ModelPricing?) {
            requests += reply.attempts
            usage.promptTokens += reply.completion.usage.promptTokens
            usage.completionTokens += reply.completion.usage.completionTokens
            costUSD += reply.completion.usage.cost(pricing: pricing)
            modelTime += reply.duration
        }
    }

    /// Two answers in a row could not be used.
    struct InvalidAnswers: Error, CustomStringConvertible {
        let problems: [String]
        let cost: StepCost
        var description: String { "the model gave no valid action twice in a row: \(problems.joined(separator: "; then "))" }
    }

    /// A model call failed; what the step had cost until then comes along.
    struct Failed: Error {
        let error: ModelError
        let cost: StepCost
    }

    /// The request of one step, before it is sent.
    func request(stepText: String, image: Data) -> ChatRequest {
        ChatRequest(
            model: modelName,
            messages: [
                .text("system", ActionPrompt.system),
                ChatMessage(role: "user", parts: [.text(stepText), .jpeg(image, detail: imageDetail)]),
            ],
            responseSchema: (ActionSchema.name, ActionSchema.schema), includeUsageCost: includeUsageCost)
    }

    /// The next action for the page in `observation`, seen in `image`.
    func decide(stepText: String, image: Data, observation: PageObservation, allowedOrigins: [String]) async throws -> Outcome {
        let clock = ContinuousClock()
        var cost = StepCost()
        let building = clock.now
        var request = request(stepText: stepText, image: image)
        cost.requestBytes = request.bodyData.count
        cost.buildTime = building.duration(to: clock.now)
        var problems: [String] = []
        while true {
            let reply: ModelReply
            do {
                reply = try await model.complete(request)
            } catch let error as ModelError {
                throw Failed(error: error, cost: cost)
            }
            cost.add(reply, pricing: pricing)
            do {
                let decision = try AgentAnswer.parse(reply.completion.content, observation: observation, allowedOrigins: allowedOrigins)
                return Outcome(decision: decision, cost: cost)
            } catch let invalid as AgentAnswer.Invalid {
                problems.append(invalid.description)
                if problems.count >= 2 { throw InvalidAnswers(problems: problems, cost: cost) }
                request.messages.append(.text("assistant", reply.completion.content))
                request.messages.append(.text("user", ActionPrompt.reask(invalid.description)))
            }
        }
    }
}
