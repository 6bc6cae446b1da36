import Foundation

/// Shows a scan's progress as it changes: on a terminal one bar redrawn in place, otherwise a plain line each
/// time the progress says something new (so logs of CI runs stay readable).
public final class ProgressDisplay: @unchecked Sendable {
    /// Where output goes and how it looks.
    public enum Style: Sendable, Hashable {
        /// A bar redrawn in place (`\r`, erase line).
        case interactive
        /// One line per change.
        case plain
    }

    /// The style in use.
    public let style: Style
    private let name: String
    private let renderer: ProgressRenderer
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var last: String?

    /// A display for the job `name`; `write` receives text exactly as it should appear.
    public init(name: String, style: Style, renderer: ProgressRenderer = ProgressRenderer(), write: @escaping @Sendable (String) -> Void = Console.write) {
        self.name = name
        self.style = style
        self.renderer = renderer
        self.write = write
    }

    /// `.interactive` when standard output is a terminal (and `TERM` is not `dumb`), `.plain` otherwise.
    public static func styleForStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
        isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb" ? .interactive : .plain
    }

    /// Shows `progress` if it differs from what is shown.
    public func update(_ progress: ScanProgress) {
        lock.lock()
        defer { lock.unlock() }
        switch style {
        case .interactive:
            let text = renderer.bar(progress)
            guard text != last else { return }
            last = text
            write("\r\u{1B}[2K" + text)
        case .plain:
            let text = renderer.line(progress, name: name)
            guard text != last else { return }
            last = text
            write(text + "\n")
        }
    }

    /// Ends the bar's line, so what follows starts on a fresh one.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if style == .interactive, last != nil { write("\n") }
        last = nil
    }
}
