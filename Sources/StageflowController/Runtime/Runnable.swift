/// Something a controller manager runs for as long as its process leads: a controller, or a loop beside one.
public protocol Runnable: Sendable {
    /// Name used in logs.
    var name: String { get }
    /// Runs until the task is cancelled. May be called once; a second call throws `ControllerError.alreadyStarted`.
    func run() async throws
}

/// Misuse of a controller.
public enum ControllerError: Error, CustomStringConvertible, Sendable {
    /// `run()` was called on a controller that had already been started.
    case alreadyStarted(String)

    public var description: String {
        switch self {
        case .alreadyStarted(let name): "controller \(name) was started more than once; build a fresh one instead"
        }
    }
}
