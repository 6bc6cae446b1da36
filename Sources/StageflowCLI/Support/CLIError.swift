import ArgumentParser

/// A failure the command reports to the user as `error: <message>`, with its exit code (1 unless said).
public struct CLIError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and where.
    public let message: String
    /// The process exit code.
    public let exitCode: Int32

    /// An error with a message and exit code 1.
    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The message.
    public var description: String { message }
}
