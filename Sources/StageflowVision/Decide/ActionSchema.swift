import StageflowAPI

/// The JSON Schema of the model's answer, sent as `response_format` (`json_schema`, strict): a thought and one
/// action. Strict mode wants every property required, so the fields an action does not use are `null`.
enum ActionSchema {
    static let name = "stageflow_action"

    static let schema: JSONValue = [
        "type": "object",
        "additionalProperties": false,
        "required": ["thought", "action"],
        "properties": [
            "thought": ["type": "string", "description": "What you see and why you choose this action, in one or two sentences."],
            "action": [
                "type": "object",
                "additionalProperties": false,
                "required": ["type", "index", "text", "submit", "value", "direction", "url", "success", "summary"],
                "properties": [
                    "type": ["type": "string", "enum": ["click", "type", "select", "scroll", "navigate", "back", "done"]],
                    "index": ["type": ["integer", "null"], "description": "The element's number (click, type, select)."],
                    "text": ["type": ["string", "null"], "description": "Text to type (type)."],
                    "submit": ["type": ["boolean", "null"], "description": "Press Enter after typing (type)."],
                    "value": ["type": ["string", "null"], "description": "The option to choose (select)."],
                    "direction": ["type": ["string", "null"], "enum": ["up", "down", nil], "description": "Scroll direction (scroll)."],
                    "url": ["type": ["string", "null"], "description": "The URL to open (navigate)."],
                    "success": ["type": ["boolean", "null"], "description": "Whether the goal was reached (done)."],
                    "summary": ["type": ["string", "null"], "description": "What you found (done)."],
                ],
            ],
        ],
    ]
}
