/// The exit codes of `stageflow scanner run`, the contract between a scanner container and the controller that
/// reads them (`docs/architecture.md`, "Faults").
public enum ScannerExitCode {
    /// The scanner failed: a plugin exited non-zero, the time budget ran out. Not retried.
    public static let failed: Int32 = 1
    /// The input is wrong (plan missing or undecodable, scanner unknown). Not retried.
    public static let badInput: Int32 = 2
    /// The scanner's infrastructure failed it: the object store stayed unreachable past the client's retries
    /// (`EX_TEMPFAIL` of sysexits). The controller starts the scanner again, a bounded number of times.
    public static let infrastructureUnavailable: Int32 = 75
}
