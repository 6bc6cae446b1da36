import Foundation
import StageflowAPI
import StageflowReport
import StageflowScanner

/// What the model may do at a step.
public enum AgentAction: Sendable, Hashable {
    /// Click element `index`.
    case click(index: Int)
    /// Type `text` into element `index`, pressing Enter after it when `submit`.
    case type(index: Int, text: String, submit: Bool)
    /// Choose `value` in the select `index`.
    case select(index: Int, value: String)
    /// Scroll the page.
    case scroll(ScrollDirection)
    /// Open `url` (of an allowed origin only).
    case navigate(url: String)
    /// Go back in history.
    case back
    /// Stop: the goal is reached (`success`) or cannot be.
    case done(success: Bool, summary: String)

    /// The element the action is on, if any.
    public var index: Int? {
        switch self {
        case .click(let index), .type(let index, _, _), .select(let index, _): return index
        default: return nil
        }
    }

    /// The action as a journey records it.
    public var record: JourneyAction {
        switch self {
        case .click(let index): return JourneyAction(type: "click", index: index)
        case .type(let index, let text, let submit): return JourneyAction(type: "type", index: index, text: text, submit: submit)
        case .select(let index, let value): return JourneyAction(type: "select", index: index, value: value)
        case .scroll(let direction): return JourneyAction(type: "scroll", direction: direction.rawValue)
        case .navigate(let url): return JourneyAction(type: "navigate", url: url)
        case .back: return JourneyAction(type: "back")
        case .done(let success, let summary): return JourneyAction(type: "done", success: success, summary: summary)
        }
    }
}

/// The model's answer: its reasoning and its action.
public struct AgentDecision: Sendable, Hashable {
    /// Why, in the model's words.
    public var thought: String
    /// What.
    public var action: AgentAction
}

/// Reads the model's answer and checks it against the page: a known action with what it needs, an element number
/// that is on the list, a URL of an allowed origin. What is wrong is said in words the model is then shown.
enum AgentAnswer {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// The decision in `content`, checked against `observation` and `allowedOrigins`.
    static func parse(_ content: String, observation: PageObservation, allowedOrigins: [String]) throws -> AgentDecision {
        let json: JSONValue
        do {
            json = try JSONValue.parse(stripFences(content))
        } catch {
            throw Invalid(description: "the answer is not a JSON object: \(String(content.prefix(200)))")
        }
        guard let action = json["action"], action.objectValue != nil else {
            throw Invalid(description: "the answer has no \"action\" object")
        }
        let thought = json["thought"]?.stringValue ?? ""
        guard let type = action["type"]?.stringValue else { throw Invalid(description: "the action has no \"type\"") }
        func index() throws -> Int {
            guard let value = action["index"]?.intValue else { throw Invalid(description: "\(type) needs an \"index\"") }
            let index = Int(value)
            guard let element = observation.element(index) else {
                let range = observation.elements.isEmpty ? "the page lists no elements" : "valid numbers are 1–\(observation.elements.count)"
                throw Invalid(description: "there is no element \(index) on this page (\(range))")
            }
            if element.disabled { throw Invalid(description: "element \(index) is disabled") }
            return index
        }
        func string(_ key: String) throws -> String {
            guard let value = action[key]?.stringValue else { throw Invalid(description: "\(type) needs \"\(key)\"") }
            return value
        }
        switch type {
        case "click":
            return AgentDecision(thought: thought, action: .click(index: try index()))
        case "type":
            return AgentDecision(
                thought: thought, action: .type(index: try index(), text: try string("text"), submit: action["submit"]?.boolValue ?? false))
        case "select":
            let index = try index()
            let value = try string("value")
            if let options = observation.element(index)?.options, !options.isEmpty, !options.contains(value) {
                throw Invalid(description: "element \(index) has no option \"\(value)\" (it has \(options.joined(separator: ", ")))")
            }
            return AgentDecision(thought: thought, action: .select(index: index, value: value))
        case "scroll":
            guard let direction = action["direction"]?.stringValue.flatMap(ScrollDirection.init(rawValue:)) else {
                throw Invalid(description: "scroll needs \"direction\": \"up\" or \"down\"")
            }
            return AgentDecision(thought: thought, action: .scroll(direction))
        case "navigate":
            let url = try string("url")
            guard let origin = JourneyOrigins.origin(of: url) else { throw Invalid(description: "\"\(url)\" is not an http(s) URL") }
            guard allowedOrigins.contains(origin) else {
                throw Invalid(description: "navigate may only open pages of \(allowedOrigins.joined(separator: ", ")), not \(origin)")
            }
            return AgentDecision(thought: thought, action: .navigate(url: url))
        case "back":
            return AgentDecision(thought: thought, action: .back)
        case "done":
            guard let success = action["success"]?.boolValue else { throw Invalid(description: "done needs \"success\": true or false") }
            return AgentDecision(thought: thought, action: .done(success: success, summary: action["summary"]?.stringValue ?? ""))
        default:
            throw Invalid(description: "unknown action type \"\(type)\" (use click, type, select, scroll, navigate, back or done)")
        }
    }

    /// The JSON inside a Markdown code fence, for servers that ignore `response_format`.
    static func stripFences(_ content: String) -> String {
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("```") else { return trimmed }
        var lines = trimmed.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
        if lines.last?.trimmingCharacters(in: .whitespaces).hasPrefix("```") == true { lines = lines.dropLast() }
        return lines.joined(separator: "\n")
    }
}
