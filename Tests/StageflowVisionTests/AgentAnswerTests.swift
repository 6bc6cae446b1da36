import Foundation
import StageflowAPI
import Testing

@testable import StageflowVision

@Suite("The model's answer, read and checked")
struct AgentAnswerTests {
    static func observation(_ elements: [(String, String)] = [("link", "Home"), ("button", "Add to cart"), ("combobox", "Size")]) -> PageObservation {
        let list: [JSONValue] = elements.enumerated().map { index, element in
            var entry: JSONValue = [
                "index": .int(Int64(index + 1)), "role": .string(element.0), "name": .string(element.1), "tag": "button",
                "locator": .string("role=\(element.0)[name=\"\(element.1)\"]"), "selector": "button",
                "box": ["x": 10, "y": .double(Double(index) * 30), "width": 100, "height": 20], "inViewport": true, "disabled": false,
            ]
            if element.0 == "combobox" { entry["options"] = ["S", "M", "L"] }
            return entry
        }
        let json: JSONValue = [
            "url": "https://shop.example/", "title": "Shop", "viewport": ["width": 1280, "height": 800, "scrollX": 0, "scrollY": 0, "pageHeight": 2000],
            "elements": .array(list), "interactiveCount": .int(Int64(list.count)), "digest": "abcd0123",
        ]
        return try! json.decode(as: PageObservation.self)
    }

    @Test("each action type is read with what it needs")
    func actions() throws {
        let page = Self.observation()
        let origins = ["https://shop.example"]
        func parse(_ action: [String: JSONValue]) throws -> AgentAction {
            try AgentAnswer.parse(ScriptedModel.answer(action), observation: page, allowedOrigins: origins).action
        }
        #expect(try parse(["type": "click", "index": 2]) == .click(index: 2))
        #expect(try parse(["type": "type", "index": 1, "text": "blue", "submit": true]) == .type(index: 1, text: "blue", submit: true))
        #expect(try parse(["type": "select", "index": 3, "value": "M"]) == .select(index: 3, value: "M"))
        #expect(try parse(["type": "scroll", "direction": "down"]) == .scroll(.down))
        #expect(try parse(["type": "navigate", "url": "https://SHOP.example:443/cart"]) == .navigate(url: "https://SHOP.example:443/cart"))
        #expect(try parse(["type": "back"]) == .back)
        #expect(try parse(["type": "done", "success": true, "summary": "in the cart"]) == .done(success: true, summary: "in the cart"))
    }

    @Test("what is wrong with an answer is said in words the model is shown")
    func invalid() {
        let page = Self.observation()
        func problem(_ content: String) -> String? {
            do {
                _ = try AgentAnswer.parse(content, observation: page, allowedOrigins: ["https://shop.example"])
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(problem(ScriptedModel.answer(["type": "click", "index": 99]))?.contains("no element 99") == true)
        #expect(problem(ScriptedModel.answer(["type": "click", "index": 99]))?.contains("1–3") == true)
        #expect(problem(ScriptedModel.answer(["type": "click"]))?.contains("needs an \"index\"") == true)
        #expect(problem(ScriptedModel.answer(["type": "hover", "index": 1]))?.contains("unknown action type") == true)
        #expect(problem(ScriptedModel.answer(["type": "select", "index": 3, "value": "XXL"]))?.contains("no option") == true)
        #expect(problem(ScriptedModel.answer(["type": "navigate", "url": "https://evil.example/"]))?.contains("may only open") == true)
        #expect(problem(ScriptedModel.answer(["type": "done"]))?.contains("success") == true)
        #expect(problem("I think I should click the cart")?.contains("not a JSON object") == true)
        #expect(problem("{\"thought\": \"x\"}")?.contains("no \"action\"") == true)
    }

    @Test("an answer inside a Markdown fence is read")
    func fences() throws {
        let content = "```json\n" + ScriptedModel.answer(["type": "click", "index": 1]) + "\n```"
        let decision = try AgentAnswer.parse(content, observation: Self.observation(), allowedOrigins: [])
        #expect(decision.action == .click(index: 1))
        #expect(decision.thought == "because")
    }

    @Test("the element list sent to the model reads [N] role \"name\" (tag) with values, options and states")
    func promptLines() {
        let page = Self.observation()
        let text = ActionPrompt.step(
            goal: "buy", step: 2, maxSteps: 15, observation: page, history: ["1. click [1] link \"Home\" → loaded https://shop.example/"],
            allowedOrigins: ["https://shop.example"], credentials: ["password", "username"])
        #expect(text.contains("Goal: buy"))
        #expect(text.contains("Step 2 of at most 15."))
        #expect(text.contains("[2] button \"Add to cart\" (button)"))
        #expect(text.contains("[3] combobox \"Size\" (button) options: S | M | L"))
        #expect(text.contains("{{password}}, {{username}}"))
        #expect(text.contains("1. click [1] link \"Home\""))
    }
}
