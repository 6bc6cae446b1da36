import ArgumentParser

extension CLIError {
    /// Runs a check inside `validate()`, turning a `CLIError` into the `ValidationError` ArgumentParser reports as
    /// a usage error (exit code 2, with the usage line).
    static func usage<T>(_ check: () throws -> T) throws -> T {
        do {
            return try check()
        } catch let error as CLIError {
            throw ValidationError(error.message)
        }
    }
}
