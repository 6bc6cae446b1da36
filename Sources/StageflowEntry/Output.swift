import Foundation

/// Writes a line to standard output at once (unbuffered), so a supervisor or test sees it immediately.
func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
