/// Why a cron expression was refused: the field (when one is at fault), the text at fault and the problem,
/// worded for people: `field 2 "25": hour must be 0-23`.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault, or `nil` when the expression as a whole is (wrong number of fields, a macro).
    public let field: CronField?
    /// The text at fault: the list item of the field, or the whole expression.
    public let text: String
    /// What is wrong with it.
    public let problem: String

    /// An error about `text` in `field`.
    public init(field: CronField?, text: String, problem: String) {
        self.field = field
        self.text = text
        self.problem = problem
    }

    public var description: String {
        if let field { return "field \(field.rawValue) \"\(text)\": \(problem)" }
        return "\"\(text)\": \(problem)"
    }
}
