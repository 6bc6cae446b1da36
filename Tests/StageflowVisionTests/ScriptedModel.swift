import Foundation
import StageflowAPI
@testable import StageflowVision

/// A model client that answers from a list, recording what it was asked: for tests of what is asked and how answers
/// are read, without a server.
final class ScriptedModel: ModelClient, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [Result<String, ModelError>]
    private(set) var requests: [ChatRequest] = []
    let costPerAnswer: Double

    init(_ answers: [Result<String, ModelError>], costPerAnswer: Double = 0.01) {
        self.answers = answers
        self.costPerAnswer = costPerAnswer
    }

    /// Answers that are actions, as JSON text.
    convenience init(actions: [[String: JSONValue]], costPerAnswer: Double = 0.01) {
        self.init(actions.map { .success(Self.answer($0)) }, costPerAnswer: costPerAnswer)
    }

    static func answer(_ action: [String: JSONValue], thought: String = "because") -> String {
        JSONValue.object(["thought": .string(thought), "action": .object(action)]).jsonString()
    }

    var asked: [ChatRequest] { lock.withLock { requests } }

    func complete(_ request: ChatRequest) async throws -> ModelReply {
        let next: Result<String, ModelError> = lock.withLock {
            requests.append(request)
            return answers.isEmpty ? .success(Self.answer(["type": "done", "success": false, "summary": "no more answers"])) : answers.removeFirst()
        }
        switch next {
        case .success(let text):
            return ModelReply(
                completion: ChatCompletion(content: text, usage: ModelUsage(promptTokens: 100, completionTokens: 10, reportedCostUSD: costPerAnswer)),
                requestBytes: request.bodyData.count)
        case .failure(let error):
            throw error
        }
    }
}
