import Foundation

/// Where commands write: standard output for results, standard error for problems. Writes go straight to the
/// file descriptors, unbuffered, so watch output appears as events arrive; a closed pipe is not an error.
public enum Console {
    /// Writes text followed by a newline to standard output.
    public static func out(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
    }

    /// Writes text as it is (no newline added) to standard output.
    public static func write(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    /// Writes text followed by a newline to standard error.
    public static func err(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }
}
