import ArgumentParser
import StageflowAPI

extension LabelSelector {
    /// Parses selector text (`nil` stays `nil`), throwing a usage error that says what is wrong.
    @discardableResult
    static func validated(_ text: String?) throws -> LabelSelector? {
        guard let text else { return nil }
        do {
            return try LabelSelector(parsing: text)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

extension FieldSelector {
    /// Parses selector text (`nil` stays `nil`), leaving which fields a kind supports to the server.
    @discardableResult
    static func validated(_ text: String?) throws -> FieldSelector? {
        guard let text else { return nil }
        do {
            return try FieldSelector(parsing: text, supportedFields: nil)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
