/// One step of a journey: the page as the agent saw it (its annotated screenshot), what the model thought and
/// chose, the element it chose, and what that did.
public struct JourneyStepRecord: Codable, Sendable, Hashable {
    /// 1, 2, …
    public var index: Int
    /// The page's URL when the step began.
    public var url: String
    /// Its title.
    public var title: String?
    /// The viewport as the model saw it, with every interactive element boxed and numbered (JPEG). Its width and
    /// height are the viewport's CSS size, the unit of `target.box`.
    public var screenshot: ScreenshotReference?
    /// The model's reasoning, as it gave it.
    public var thought: String?
    /// The action chosen.
    public var action: JourneyAction
    /// The element the action was on.
    public var target: JourneyTarget?
    /// What the action did, in words (`loaded https://…/cart`, `nothing changed`, `blocked: …`).
    public var effect: String
    /// Script errors seen during the step.
    public var scriptErrors: [String]?
    /// Requests that failed during the step.
    public var failedRequests: [String]?
    /// Requests and connections the target policy refused during the step.
    public var blocked: [String]?
    /// Model requests, tokens, cost and time of this step.
    public var usage: JourneyTotals

    /// A step.
    public init(
        index: Int, url: String, title: String? = nil, screenshot: ScreenshotReference? = nil, thought: String? = nil,
        action: JourneyAction, target: JourneyTarget? = nil, effect: String, scriptErrors: [String]? = nil,
        failedRequests: [String]? = nil, blocked: [String]? = nil, usage: JourneyTotals = JourneyTotals()
    ) {
        self.index = index
        self.url = url
        self.title = title
        self.screenshot = screenshot
        self.thought = thought
        self.action = action
        self.target = target
        self.effect = effect
        self.scriptErrors = scriptErrors
        self.failedRequests = failedRequests
        self.blocked = blocked
        self.usage = usage
    }
}

/// An action of the agent, as recorded.
public struct JourneyAction: Codable, Sendable, Hashable {
    /// `click`, `type`, `select`, `scroll`, `navigate`, `back`, `done`, or `none` when the step ended before an
    /// action was taken.
    public var type: String
    /// The element's number on the step's screenshot.
    public var index: Int?
    /// Text typed (a credential appears as its placeholder, `{{password}}`, never its value).
    public var text: String?
    /// Whether Enter was pressed after typing.
    public var submit: Bool?
    /// The option chosen.
    public var value: String?
    /// `up` or `down`.
    public var direction: String?
    /// Where `navigate` went.
    public var url: String?
    /// `done`: whether the agent says the goal was reached.
    public var success: Bool?
    /// `done`: its summary.
    public var summary: String?

    /// An action.
    public init(
        type: String, index: Int? = nil, text: String? = nil, submit: Bool? = nil, value: String? = nil, direction: String? = nil,
        url: String? = nil, success: Bool? = nil, summary: String? = nil
    ) {
        self.type = type
        self.index = index
        self.text = text
        self.submit = submit
        self.value = value
        self.direction = direction
        self.url = url
        self.success = success
        self.summary = summary
    }

    /// `click #3`, `type #2 "blue"`, `done (success)`.
    public var label: String {
        var parts = [type]
        if let index { parts.append("#\(index)") }
        if let text { parts.append("\"\(text)\"") }
        if let value { parts.append("\"\(value)\"") }
        if let direction { parts.append(direction) }
        if let url { parts.append(url) }
        if let success { parts.append(success ? "(success)" : "(not reached)") }
        return parts.joined(separator: " ")
    }
}

/// The element an action was on.
public struct JourneyTarget: Codable, Sendable, Hashable {
    /// Its stable locator: role and accessible name (`role=button[name="Add to cart"]`), or a CSS selector when it
    /// has no name. The same element gives the same locator in every run, so findings on it compare across runs.
    public var locator: String
    /// A CSS selector of it, as a fallback.
    public var selector: String?
    /// Its role.
    public var role: String
    /// Its accessible name.
    public var name: String
    /// Its tag.
    public var tag: String
    /// Its box on the step's screenshot, in the screenshot's CSS pixels.
    public var box: BoundingBox?

    /// A target.
    public init(locator: String, selector: String? = nil, role: String, name: String, tag: String, box: BoundingBox? = nil) {
        self.locator = locator
        self.selector = selector
        self.role = role
        self.name = name
        self.tag = tag
        self.box = box
    }
}
