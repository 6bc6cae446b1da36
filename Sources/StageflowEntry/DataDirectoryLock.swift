import Foundation

/// An exclusive lock on a data directory for the life of the process (`flock` on `<dir>/stageflow.lock`), so two
/// `stageflow up` never share one database, and the controller identity derived from the directory belongs to
/// one live process at a time. The kernel drops the lock when the process dies, however it dies.
struct DataDirectoryLock {
    private let descriptor: Int32

    /// Takes the lock, or throws naming the process that holds it.
    init(directory: URL) throws {
        let path = directory.appendingPathComponent("stageflow.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DataDirectoryLockError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw DataDirectoryLockError(
                "the data directory \(directory.path) is in use by another stageflow process\(holder.isEmpty ? "" : " (pid \(holder))")")
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        self.descriptor = descriptor
    }

    /// The leader-election identity of the process holding this directory: the host and a digest of the
    /// directory's path, the same after a restart so the new process takes its predecessor's lease at once.
    static func identity(for directory: URL) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in directory.standardizedFileURL.path.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return "\(ProcessInfo.processInfo.hostName)-up-\(String(hash, radix: 16))"
    }
}

/// The data directory could not be locked.
struct DataDirectoryLockError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
