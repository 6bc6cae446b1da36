import ArgumentParser
import StageflowAPI

extension LabelSelector {
    /// Checks selector text, throwing a usage error that says what is wrong.
    static func validated(_ text: String) throws {
        do {
            _ = try LabelSelector(parsing: text)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
