import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file so that it appears whole or not at all: the bytes go to a temporary file in the destination's
/// directory (named with `ObjectKeys.reservedSegmentPrefix`, which no key may use), which is flushed to disk and
/// then renamed over the destination. Used by one task at a time.
final class AtomicFileWriter {
    let destination: String
    let temporary: String
    private var descriptor: Int32
    private var closed = false

    /// Creates the temporary file; the destination's directory must exist.
    init(destination: String) throws {
        let directory = (destination as NSString).deletingLastPathComponent
        self.destination = destination
        temporary = "\(directory)/\(ObjectKeys.reservedSegmentPrefix)\(UUID().uuidString)"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXFailure(operation: "create", path: temporary, code: errno) }
    }

    deinit {
        if !closed {
            close(descriptor)
            unlink(temporary)
        }
    }

    /// Appends `data`.
    func write(_ data: Data) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard var next = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                let written = writeBytes(descriptor, next, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXFailure(operation: "write", path: temporary, code: errno)
                }
                remaining -= written
                next += written
            }
        }
    }

    /// Flushes the file to disk, renames it to the destination and flushes the directory entry.
    func commit() throws {
        guard fsync(descriptor) == 0 else { throw POSIXFailure(operation: "fsync", path: temporary, code: errno) }
        closed = true
        guard close(descriptor) == 0 else {
            let code = errno
            unlink(temporary)
            throw POSIXFailure(operation: "close", path: temporary, code: code)
        }
        guard rename(temporary, destination) == 0 else {
            let code = errno
            unlink(temporary)
            throw POSIXFailure(operation: "rename", path: destination, code: code)
        }
        Self.syncDirectory(of: destination)
    }

    /// Closes and removes the temporary file; the destination is untouched.
    func abort() {
        guard !closed else { return }
        closed = true
        close(descriptor)
        unlink(temporary)
    }

    /// Flushes the directory holding `path`, so that a rename survives a crash; best effort.
    static func syncDirectory(of path: String) {
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return }
        fsync(directory)
        close(directory)
    }
}

/// `write(2)`, which the method of the same name hides.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(descriptor, bytes, count)
    #else
        return Darwin.write(descriptor, bytes, count)
    #endif
}
