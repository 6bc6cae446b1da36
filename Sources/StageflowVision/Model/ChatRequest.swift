import Foundation
import StageflowAPI

/// One request to `POST {base}/chat/completions` in OpenAI's format (which OpenRouter, vLLM, llama.cpp's server
/// and Ollama accept): the messages, with text and `image_url` content parts (the screenshot as a JPEG data URL),
/// and a `response_format` of type `json_schema` that holds the answer to the action's schema.
public struct ChatRequest: Sendable, Hashable {
    /// The model.
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// The JSON Schema the answer must satisfy, named.
    public var responseSchema: (name: String, schema: JSONValue)?
    /// Sampling temperature.
    public var temperature: Double?
    /// Upper bound on the answer's tokens.
    public var maxTokens: Int?
    /// Ask OpenRouter to report the request's cost in `usage`.
    public var includeUsageCost: Bool

    /// A request.
    public init(
        model: String, messages: [ChatMessage], responseSchema: (name: String, schema: JSONValue)? = nil,
        temperature: Double? = 0, maxTokens: Int? = 600, includeUsageCost: Bool = false
    ) {
        self.model = model
        self.messages = messages
        self.responseSchema = responseSchema
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.includeUsageCost = includeUsageCost
    }

    public static func == (lhs: ChatRequest, rhs: ChatRequest) -> Bool { lhs.body == rhs.body }
    public func hash(into hasher: inout Hasher) { hasher.combine(body) }

    /// The JSON body.
    public var body: JSONValue {
        var body: JSONValue = ["model": .string(model), "messages": .array(messages.map(\.json))]
        if let responseSchema {
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": ["name": .string(responseSchema.name), "strict": true, "schema": responseSchema.schema],
            ]
        }
        if let temperature { body["temperature"] = .double(temperature) }
        if let maxTokens { body["max_tokens"] = .int(Int64(maxTokens)) }
        if includeUsageCost { body["usage"] = ["include": true] }
        return body
    }

    /// The encoded body.
    public var bodyData: Data { body.jsonData() }
}

/// One message of a conversation.
public struct ChatMessage: Sendable, Hashable {
    /// `system`, `user` or `assistant`.
    public var role: String
    /// Its parts, in order.
    public var parts: [ChatContentPart]

    /// A message.
    public init(role: String, parts: [ChatContentPart]) {
        self.role = role
        self.parts = parts
    }

    /// A message of plain text.
    public static func text(_ role: String, _ text: String) -> ChatMessage {
        ChatMessage(role: role, parts: [.text(text)])
    }

    /// Plain text as a string (which every server takes); text and images as a list of parts.
    var json: JSONValue {
        if parts.count == 1, case .text(let text) = parts[0] {
            return ["role": .string(role), "content": .string(text)]
        }
        return ["role": .string(role), "content": .array(parts.map(\.json))]
    }
}

/// A part of a message's content.
public enum ChatContentPart: Sendable, Hashable {
    /// Text.
    case text(String)
    /// A JPEG image, sent inline as a `data:image/jpeg;base64,…` URL.
    case jpeg(Data, detail: String)

    var json: JSONValue {
        switch self {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .jpeg(let data, let detail):
            return [
                "type": "image_url",
                "image_url": ["url": .string("data:image/jpeg;base64," + data.base64EncodedString()), "detail": .string(detail)],
            ]
        }
    }
}
