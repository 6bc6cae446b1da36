import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a handler when the process receives SIGINT, SIGTERM or SIGHUP, instead of dying: the default action is
/// set to ignore and a dispatch source delivers the signal on a queue of its own. `cancel()` restores the
/// default actions.
public final class SignalTrap: @unchecked Sendable {
    /// The signals trapped.
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private let sources: [any DispatchSourceSignal]

    /// Traps the signals; `handler` receives the signal number, once per delivery, on a background queue.
    public init(handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "stageflowctl.signals")
        sources = Self.signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops trapping and restores the default actions.
    public func cancel() {
        for source in sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }

    /// `SIGINT`, `SIGTERM`, `SIGHUP`.
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(number)"
        }
    }
}
