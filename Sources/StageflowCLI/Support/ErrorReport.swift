import ArgumentParser
import StageflowAPI
import StageflowClient
import StageflowHTTP

/// How a failure is shown and which exit code it ends the process with: 0 success, 1 failure, 2 usage, 3 a scan
/// without a score (gating commands).
public struct ErrorReport: Sendable, Hashable {
    /// The text to print (may be empty).
    public var text: String
    /// The process exit code.
    public var exitCode: Int32
    /// Print on standard output (help, version) rather than standard error.
    public var toStandardOutput: Bool

    /// A report.
    public init(text: String, exitCode: Int32, toStandardOutput: Bool = false) {
        self.text = text
        self.exitCode = exitCode
        self.toStandardOutput = toStandardOutput
    }

    /// The exit code of usage errors.
    public static let usageExitCode: Int32 = 2

    /// The report of an error thrown while parsing arguments or running a command.
    public static func of(_ error: any Error, command: any ParsableCommand.Type = Stageflowctl.self) -> ErrorReport {
        if let gate = error as? GateFailure {
            return ErrorReport(
                text: gate.reasons.map { "gate failed: \($0)" }.joined(separator: "\n"),
                exitCode: CommandOutcome.gateFailedExitCode)
        }
        if let incomplete = error as? ScanIncomplete {
            return ErrorReport(text: "scan incomplete: \(incomplete.message)", exitCode: CommandOutcome.scanIncompleteExitCode)
        }
        if let failure = error as? CommandFailure {
            let underlying = failure.underlying
            if let text = message(for: underlying) {
                return ErrorReport(text: text, exitCode: CommandOutcome.errorExitCode)
            }
            let report = of(underlying, command: command)
            // Help or version requested inside a command still succeeds; anything else is an error.
            return report.exitCode == 0 ? report : ErrorReport(text: report.text, exitCode: CommandOutcome.errorExitCode)
        }
        if let text = message(for: error) {
            let code = (error as? CLIError)?.exitCode ?? 1
            return ErrorReport(text: text, exitCode: code)
        }
        let code = command.exitCode(for: error)
        let text = command.fullMessage(for: error)
        if code == .success {
            return ErrorReport(text: text, exitCode: 0, toStandardOutput: true)
        }
        if code == .validationFailure {
            return ErrorReport(text: text, exitCode: usageExitCode)
        }
        return ErrorReport(text: text, exitCode: code.rawValue)
    }

    /// The message of a failure stageflowctl reports itself (`Error from server (NotFound): …`, `error: …`), or
    /// `nil` for ArgumentParser's own errors.
    public static func message(for error: any Error) -> String? {
        switch error {
        case let status as APIStatus:
            return serverMessage(status)
        case let error as CLIError:
            return "error: \(error.message)"
        case let error as ManifestError:
            return error.problems.map { "error: \($0)" }.joined(separator: "\n")
        case let error as StageflowClientError:
            return "error: \(error)"
        case let error as HTTPError:
            return "error: \(error)"
        case is CancellationError:
            return "error: cancelled"
        default:
            return nil
        }
    }

    /// `Error from server (Invalid): <message>`, plus a line per cause the message does not already name.
    public static func serverMessage(_ status: APIStatus, context: String? = nil) -> String {
        var text = "Error from server (\(status.reason)): " + (context.map { "\($0): " } ?? "") + status.message
        for cause in status.details?.causes ?? [] where !status.message.contains(cause.message) {
            text += "\n  " + (cause.field.map { "\($0): " } ?? "") + cause.message
        }
        return text
    }
}
