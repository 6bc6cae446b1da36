/// What went wrong talking to the browser.
enum CDPError: Error, CustomStringConvertible {
    /// The connection is gone (the browser exited or closed it).
    case closed(String)
    /// The browser refused a command.
    case protocolError(code: Int64, message: String)

    var description: String {
        switch self {
        case .closed(let message): return message
        case .protocolError(let code, let message): return "DevTools error \(code): \(message)"
        }
    }
}
