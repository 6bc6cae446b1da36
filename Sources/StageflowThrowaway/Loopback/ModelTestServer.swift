import Foundation

/// An OpenAI-compatible chat-completions server on loopback that answers like a vision model from what it is sent:
/// it reads the step's text (the goal, the step number, the numbered element list `[N] role "name"`) and answers
/// with an action chosen by a scripted policy, or with what the policy asks instead (429 with `Retry-After`, 402,
/// an error inside a 200, a slow answer). It records every request, so tests can check the wire format.
public final class ModelTestServer: @unchecked Sendable {
    /// One request as the server understood it.
    public struct Request: Sendable {
        /// The raw request.
        public var raw: LoopbackRequest
        /// The decoded body (`nil` when it was not JSON).
        public var body: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: raw.body)) as? [String: Any]
        }
        /// The step's text: the first text part of the first user message.
        public var stepText: String
        /// Whether this asks again after an unusable answer (the conversation goes on past the first user message).
        public var isReask: Bool
        /// `Goal: …`.
        public var goal: String?
        /// `Step N of …`.
        public var step: Int?
        /// `Page: URL — …`.
        public var url: String?
        /// The element list: number, role and accessible name.
        public var elements: [(index: Int, role: String, name: String)]
        /// 1-based number of this request among all the server received.
        public var number: Int

        /// The number of the first element whose accessible name contains `name` (case-insensitive).
        public func element(named name: String) -> Int? {
            elements.first { $0.name.localizedCaseInsensitiveContains(name) }?.index
        }
    }

    /// What the server answers.
    public enum Reply: Sendable {
        /// A completion whose content is `{"thought": …, "action": action}`.
        case action(thought: String, action: [String: any Sendable])
        /// A completion whose content is this text as it is.
        case content(String)
        /// An HTTP status with a JSON error body and header fields.
        case status(Int, message: String, headers: [(name: String, value: String)])
        /// A 200 whose body is an error object (as OpenRouter sends some errors).
        case errorInBody(code: Int, message: String)
    }

    /// Chooses the reply to a request.
    public typealias Policy = @Sendable (Request) -> Reply

    private let server: LoopbackHTTPServer
    private let lock = NSLock()
    private var requests: [Request] = []
    private let policy: Policy
    private let costPerRequest: Double
    private let latency: Duration

    /// `http://127.0.0.1:PORT/v1`: the base URL to configure.
    public var baseURL: String { server.baseURL + "/v1" }

    /// Every request received, in order.
    public var received: [Request] { lock.withLock { requests } }

    private init(server: LoopbackHTTPServer, policy: @escaping Policy, costPerRequest: Double, latency: Duration) {
        self.server = server
        self.policy = policy
        self.costPerRequest = costPerRequest
        self.latency = latency
    }

    /// Starts a server answering by `policy`; each completion reports `costPerRequest` US dollars in `usage.cost`
    /// and arrives after `latency`.
    public static func start(costPerRequest: Double = 0.001, latency: Duration = .zero, policy: @escaping Policy) async throws -> ModelTestServer {
        let box = ServerBox()
        let server = try await LoopbackHTTPServer.start { request in
            await box.server?.answer(request) ?? LoopbackResponse(status: 503)
        }
        let model = ModelTestServer(server: server, policy: policy, costPerRequest: costPerRequest, latency: latency)
        await box.set(model)
        return model
    }

    /// Stops the server.
    public func stop() { server.stop() }

    private func answer(_ raw: LoopbackRequest) -> LoopbackResponse {
        guard raw.method == "POST", raw.path == "/v1/chat/completions" else {
            return .json(["error": ["message": "no route \(raw.method) \(raw.path)"]] as [String: Any], status: 404)
        }
        let request: Request = lock.withLock {
            let parsed = Self.parse(raw, number: requests.count + 1)
            requests.append(parsed)
            return parsed
        }
        switch policy(request) {
        case .action(let thought, let action):
            let content = Self.jsonText(["thought": thought, "action": Self.fullAction(action)] as [String: Any])
            return completion(content)
        case .content(let text):
            return completion(text)
        case .status(let status, let message, let headers):
            let error: [String: Any] = ["message": message, "code": status]
            var answer = LoopbackResponse.json(["error": error] as [String: Any], status: status, headers: headers)
            answer.delay = latency
            return answer
        case .errorInBody(let code, let message):
            let error: [String: Any] = ["message": message, "code": code]
            var answer = LoopbackResponse.json(["error": error] as [String: Any])
            answer.delay = latency
            return answer
        }
    }

    private func completion(_ content: String) -> LoopbackResponse {
        let choice: [String: Any] = ["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": content]]
        let usage: [String: Any] = ["prompt_tokens": 1200, "completion_tokens": 60, "total_tokens": 1260, "cost": costPerRequest]
        let body: [String: Any] = ["id": "chatcmpl-test", "object": "chat.completion", "model": "test-vision", "choices": [choice], "usage": usage]
        var answer = LoopbackResponse.json(body)
        answer.delay = latency
        return answer
    }

    /// An action with every field of the strict schema, unused ones null.
    static func fullAction(_ action: [String: any Sendable]) -> [String: Any] {
        var full: [String: Any] = [:]
        for key in ["type", "index", "text", "submit", "value", "direction", "url", "success", "summary"] {
            if let value = action[key] { full[key] = value } else { full[key] = NSNull() }
        }
        return full
    }

    static func jsonText(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    static func parse(_ raw: LoopbackRequest, number: Int) -> Request {
        let body = (try? JSONSerialization.jsonObject(with: raw.body)) as? [String: Any] ?? [:]
        let messages = body["messages"] as? [[String: Any]] ?? []
        let users = messages.filter { $0["role"] as? String == "user" }
        var text = ""
        if let content = users.first?["content"] {
            if let string = content as? String {
                text = string
            } else if let parts = content as? [[String: Any]] {
                text = parts.first { $0["type"] as? String == "text" }?["text"] as? String ?? ""
            }
        }
        var request = Request(raw: raw, stepText: text, isReask: users.count > 1, elements: [], number: number)
        let pattern = try! NSRegularExpression(pattern: #"^\[(\d+)\] (\S+) "(.*)" \("#)
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("Goal: ") { request.goal = String(line.dropFirst(6)) }
            if line.hasPrefix("Step "), let number = Int(line.dropFirst(5).prefix { $0.isNumber }) { request.step = number }
            if line.hasPrefix("Page: ") { request.url = line.dropFirst(6).split(separator: " ").first.map(String.init) }
            let range = NSRange(line.startIndex..., in: line)
            if let match = pattern.firstMatch(in: line, range: range), let index = Int(line[Range(match.range(at: 1), in: line)!]) {
                request.elements.append(
                    (index, String(line[Range(match.range(at: 2), in: line)!]), String(line[Range(match.range(at: 3), in: line)!])))
            }
        }
        return request
    }
}

/// Holds the model server for the HTTP handler, which exists before it.
private actor ServerBox {
    var server: ModelTestServer?
    func set(_ server: ModelTestServer) { self.server = server }
}

extension ModelTestServer {
    /// One move of a scripted journey.
    public enum Move: Sendable {
        /// Click the element whose name contains this.
        case click(String)
        /// Type into the element whose name contains the first string.
        case type(String, text: String, submit: Bool)
        /// Choose an option.
        case select(String, value: String)
        /// Scroll.
        case scroll(String)
        /// Say the goal is reached, or not.
        case done(success: Bool, summary: String)
    }

    /// A policy that plays `moves` in order, by the step number in the request, finding elements by name in the
    /// list it was sent (a move whose element is not listed answers `done` with success false, saying so).
    public static func script(_ moves: [Move]) -> Policy {
        { request in
            let step = request.step ?? 1
            guard step >= 1, step <= moves.count else {
                return .action(thought: "nothing left to do", action: ["type": "done", "success": false, "summary": "the script has no step \(step)"])
            }
            func missing(_ name: String) -> Reply {
                .action(thought: "no \(name) here", action: ["type": "done", "success": false, "summary": "there is no \"\(name)\" on \(request.url ?? "the page")"])
            }
            switch moves[step - 1] {
            case .click(let name):
                guard let index = request.element(named: name) else { return missing(name) }
                return .action(thought: "I click \(name).", action: ["type": "click", "index": index])
            case .type(let name, let text, let submit):
                guard let index = request.element(named: name) else { return missing(name) }
                return .action(thought: "I type into \(name).", action: ["type": "type", "index": index, "text": text, "submit": submit])
            case .select(let name, let value):
                guard let index = request.element(named: name) else { return missing(name) }
                return .action(thought: "I choose \(value).", action: ["type": "select", "index": index, "value": value])
            case .scroll(let direction):
                return .action(thought: "I scroll.", action: ["type": "scroll", "direction": direction])
            case .done(let success, let summary):
                return .action(thought: summary, action: ["type": "done", "success": success, "summary": summary])
            }
        }
    }
}
