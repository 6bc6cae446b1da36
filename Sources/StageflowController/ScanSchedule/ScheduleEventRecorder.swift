import Logging
import StageflowAPI

/// Where the ScanSchedule controller's Events go (`TooManyMissedTimes`, `MissSchedule`, `JobAlreadyActive`,
/// `SuccessfulCreate`, …). A seam kept to one call so the assembly can bind it to the API's event recorder.
public protocol ScheduleEventRecorder: Sendable {
    /// Records an event of `type` about `object` (the schedule), with a CamelCase `reason` and a sentence.
    func record(regarding object: JSONValue, type: ScheduleEventType, reason: String, message: String) async
}

/// `Normal` or `Warning`, as Kubernetes Events are typed.
public enum ScheduleEventType: String, Sendable, Hashable {
    case normal = "Normal"
    case warning = "Warning"
}

/// Writes events to the log, for a process with no event recorder bound.
public struct LoggingScheduleEventRecorder: ScheduleEventRecorder {
    let logger: Logger

    /// A recorder writing to `logger`.
    public init(logger: Logger) { self.logger = logger }

    public func record(regarding object: JSONValue, type: ScheduleEventType, reason: String, message: String) async {
        let name = ObjectName(of: object)?.description ?? "?"
        switch type {
        case .normal: logger.info("scanschedule \(name): \(reason): \(message)")
        case .warning: logger.warning("scanschedule \(name): \(reason): \(message)")
        }
    }
}
