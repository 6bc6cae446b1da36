import Foundation

/// The words the model is given: the rules once (system message), and at each step the goal, the page, the steps
/// so far and the numbered list of elements beside the marked screenshot. The list's lines read
/// `[N] role "name" (tag)` — the test model server reads them as a model would.
enum ActionPrompt {
    static let system = """
        You are the navigator of a website audit. You operate a real web browser to reach a goal the way a visitor \
        would, and you say honestly when the goal cannot be reached on this site: that finding matters as much as \
        success.

        Each turn you get the goal, the page's URL and title, the steps taken so far with their effects, a screenshot \
        of the viewport in which every interactive element is boxed and numbered, and the list of those elements as \
        [number] role "accessible name" (tag) with values and states.

        Answer with one JSON object {"thought": …, "action": {…}}. Actions:
        - click: {"type": "click", "index": N}
        - type: {"type": "type", "index": N, "text": "…", "submit": true|false} (submit presses Enter)
        - select: {"type": "select", "index": N, "value": "option text"}
        - scroll: {"type": "scroll", "direction": "down"|"up"}
        - navigate: {"type": "navigate", "url": "…"} (only pages of the allowed origins)
        - back: {"type": "back"}
        - done: {"type": "done", "success": true|false, "summary": "…"}
        Set the fields an action does not use to null.

        Rules: use only numbers from the list. Do not repeat an action that changed nothing. When the goal is \
        reached, answer done with success true and say what shows it. When you are sure it cannot be reached \
        (the control that should lead on does nothing, an error page, a required step is missing), answer done with \
        success false and say where and why it fails.
        """

    /// The text of a step's user message.
    static func step(
        goal: String, step: Int, maxSteps: Int, observation: PageObservation, history: [String], allowedOrigins: [String],
        credentials: [String]
    ) -> String {
        var lines: [String] = []
        lines.append("Goal: \(goal)")
        lines.append("Step \(step) of at most \(maxSteps).")
        lines.append("Page: \(observation.url) — \"\(observation.title)\"")
        lines.append("Allowed origins: \(allowedOrigins.joined(separator: ", "))")
        if !credentials.isEmpty {
            let placeholders = credentials.map { "{{\($0)}}" }.joined(separator: ", ")
            lines.append("A test account is available: type \(placeholders) where its values are needed (they are filled in for you).")
        }
        if history.isEmpty {
            lines.append("Steps so far: none.")
        } else {
            lines.append("Steps so far:")
            lines.append(contentsOf: history.suffix(12))
        }
        let viewport = observation.viewport
        lines.append(
            "Interactive elements (viewport \(Int(viewport.width))×\(Int(viewport.height)), scrolled to \(Int(viewport.scrollY)) of \(Int(viewport.pageHeight))):")
        if observation.elements.isEmpty {
            lines.append("(none)")
        } else {
            lines.append(contentsOf: observation.elements.map(\.promptLine))
        }
        if observation.interactiveCount > observation.elements.count {
            lines.append("(\(observation.interactiveCount - observation.elements.count) more further down or up; scroll to reach them)")
        }
        return lines.joined(separator: "\n")
    }

    /// The message after an answer that could not be used.
    static func reask(_ problem: String) -> String {
        "That answer cannot be used: \(problem). Answer again with one valid action for the same page."
    }
}
