import ArgumentParser
import StageflowAPI

/// The exit codes of the commands that gate CI (`report`, `diff`, `scan`, `project`): 0 pass, 1 the gate failed,
/// 2 anything else went wrong (bad input, no such job, the server down), 3 the scan is incomplete: it finished
/// without a score because no scanner completed (or they ran out of time).
public enum CommandOutcome {
    /// The gate failed.
    public static let gateFailedExitCode: Int32 = 1
    /// Bad input, a missing job, a failed scan, an unreachable server.
    public static let errorExitCode: Int32 = 2
    /// The scan finished without a score: nothing completed.
    public static let scanIncompleteExitCode: Int32 = 3

    /// Runs `body`, turning every failure but `GateFailure` and `ScanIncomplete` into a `CommandFailure`
    /// (exit code 2).
    public static func guarding<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as GateFailure {
            throw error
        } catch let error as ScanIncomplete {
            throw error
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// A failure of a gating command: it exits with code 2 and the underlying error's message.
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let underlying: any Error

    /// Wraps an error.
    public init(_ underlying: any Error) {
        self.underlying = underlying
    }

    /// A failure with a message.
    public init(_ message: String) {
        self.underlying = CLIError(message, exitCode: CommandOutcome.errorExitCode)
    }

    /// The underlying message.
    public var description: String { "\(underlying)" }
}

/// The gate failed: one reason per threshold crossed; exits with code 1.
public struct GateFailure: Error, Sendable, Hashable {
    /// What crossed which threshold.
    public let reasons: [String]

    /// A gate failure.
    public init(reasons: [String]) {
        self.reasons = reasons
    }
}

/// The scan finished without a score, because no scanner completed (or they ran out of time): exits with code
/// 3, so CI can tell "nothing was checked" from "the site failed the gate".
public struct ScanIncomplete: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which scan and why it has no score.
    public let message: String

    /// A scan-incomplete failure.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
