import StageflowAPI

/// A fatal failure of `stageflow scanner run`: one line a person can act on, and the exit code the container
/// ends with (the controller shows both as the scanner's status).
public struct ScannerRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of fatal failure.
    public enum Kind: Sendable, Hashable {
        /// The input is wrong: the plan is missing or undecodable, the scanner is not in it or unknown, its
        /// configuration does not fit. Exit code 2.
        case badInput
        /// The object store could not be reached or refused a write. Exit code 75: the controller retries it.
        case objectStore
        /// The scanner itself failed: a plugin exited non-zero or wrote no usable results, the time budget
        /// ran out. Exit code 1.
        case scannerFailed
    }

    /// What kind of failure.
    public let kind: Kind
    /// What went wrong and where, in one line.
    public let message: String

    /// A fatal failure.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// 2 for bad input, 75 when the object store failed the scanner (worth another try), 1 otherwise
    /// (`ScannerExitCode`).
    public var exitCode: Int32 {
        switch kind {
        case .badInput: ScannerExitCode.badInput
        case .objectStore: ScannerExitCode.infrastructureUnavailable
        case .scannerFailed: ScannerExitCode.failed
        }
    }

    /// The message.
    public var description: String { message }
}
