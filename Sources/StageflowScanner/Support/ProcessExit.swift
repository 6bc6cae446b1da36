import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The termination of a child process, reaped by a dedicated thread (`waitpid` blocks) and awaited by async
/// code.
final class ProcessExit: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int32 = 0
    private var signalled = false
    private var finished = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Starts reaping `pid` on a thread of its own.
    static func watch(_ pid: pid_t) -> ProcessExit {
        let exit = ProcessExit()
        let waiter = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            let signalled = status & 0x7f != 0
            exit.finish(signalled ? status & 0x7f : (status >> 8) & 0xff, signalled: signalled)
        }
        waiter.start()
        return exit
    }

    /// Whether the process has ended.
    var isFinished: Bool { lock.withLock { finished } }
    /// Exit status (or signal number) and whether a signal ended it.
    var result: (Int32, Bool) { lock.withLock { (status, signalled) } }

    func finish(_ status: Int32, signalled: Bool) {
        let waiting = lock.withLock {
            self.status = status
            self.signalled = signalled
            finished = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns once the process has ended.
    func wait() async {
        await withCheckedContinuation { continuation in
            let done = lock.withLock {
                if !finished { waiters.append(continuation) }
                return finished
            }
            if done { continuation.resume() }
        }
    }
}
