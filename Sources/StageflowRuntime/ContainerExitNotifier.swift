import Foundation

/// Tells the one listener (a term's ScanJob controller) the job uid of each container process this process
/// started, the moment it ends, so a job moves on at its scanner's exit rather than at the next poll
/// (`docs/architecture.md`, "Faults" and "Limits and numbers"). Processes started by an earlier process (before a
/// restart) are not told: the controller's poll finds those.
final class ContainerExitNotifier: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: AsyncStream<String>.Continuation?
    private var running: [ObjectIdentifier: Process] = [:]

    /// A fresh stream of exits; the previous listener's stream ends.
    func exits() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let previous = lock.withLock {
            defer { self.continuation = continuation }
            return self.continuation
        }
        previous?.finish()
        return stream
    }

    /// Starts `process` and tells its end under `jobUID`. The process is kept until it ends.
    func run(_ process: Process, jobUID: String) throws {
        let id = ObjectIdentifier(process)
        process.terminationHandler = { [weak self] _ in
            guard let self else { return }
            let listener = lock.withLock {
                running[id] = nil
                return continuation
            }
            listener?.yield(jobUID)
        }
        lock.withLock { running[id] = process }
        do {
            try process.run()
        } catch {
            _ = lock.withLock { running.removeValue(forKey: id) }
            throw error
        }
    }
}
