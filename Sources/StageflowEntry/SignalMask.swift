import Foundation

/// Unblocks every signal for this process. A parent that spawned us from a thread with SIGTERM blocked (Swift
/// concurrency threads do) would otherwise leave SIGTERM pending forever, and graceful shutdown would never
/// start.
public func resetSignalMask() {
    var empty = sigset_t()
    sigemptyset(&empty)
    sigprocmask(SIG_SETMASK, &empty, nil)
}
