/// Why a browser could not be used at all (as opposed to one page failing to load, which is a page error).
public enum BrowserError: Error, CustomStringConvertible, Sendable {
    /// No browser could be started.
    case unavailable(String)
    /// The browser went away during the run.
    case crashed(String)

    /// The message, for the person running the scan.
    public var description: String {
        switch self {
        case .unavailable(let message): return message
        case .crashed(let message): return "the browser stopped: \(message)"
        }
    }
}
