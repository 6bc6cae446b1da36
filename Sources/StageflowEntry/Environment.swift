import Foundation

/// Environment-variable twins of command-line flags: every flag `--foo-bar` of `stageflow` can also be set as
/// `STAGEFLOW_FOO_BAR`; the flag wins when both are given.
enum Environment {
    static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func flag(_ name: String) -> Bool {
        guard let value = string(name)?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }
}
