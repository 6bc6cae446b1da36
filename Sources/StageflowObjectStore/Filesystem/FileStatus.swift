import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `stat(2)` says about a path, for the filesystem store.
struct FileStatus {
    enum FileType {
        case regular
        case directory
        case other
    }

    var type: FileType
    var size: Int64
    var inode: UInt64
    /// Modification time in nanoseconds since 1970.
    var modifiedNanoseconds: Int64

    /// The status of `path` (following symbolic links), `nil` when nothing is there; throws for other failures.
    static func of(_ path: String) throws(POSIXFailure) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw POSIXFailure(operation: "stat", path: path, code: code)
        }
        let kind = info.st_mode & S_IFMT
        let type: FileType = kind == S_IFREG ? .regular : kind == S_IFDIR ? .directory : .other
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        return FileStatus(
            type: type, size: Int64(info.st_size), inode: UInt64(info.st_ino),
            modifiedNanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    var modificationDate: Date {
        Date(timeIntervalSince1970: Double(modifiedNanoseconds) / 1_000_000_000)
    }

    /// Changes whenever the file is replaced (new inode) or rewritten (time, size).
    var etag: String {
        "\(String(inode, radix: 16))-\(String(modifiedNanoseconds, radix: 16))-\(String(size, radix: 16))"
    }
}
