#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The directory an archive is extracted into, written only through descriptors relative to it: every
/// parent is opened with `O_NOFOLLOW | O_DIRECTORY` (so it is a real directory inside the workspace, never a
/// symbolic link), and every file is created with `O_EXCL | O_NOFOLLOW` (so nothing existing is overwritten
/// or followed).
final class ArchiveWorkspace {
    let path: String
    private let root: Int32

    /// Opens the workspace, creating it when missing; it must be empty.
    init(path: String) throws(ArchiveWorkspaceError) {
        self.path = path
        if mkdir(path, 0o755) != 0, errno != EEXIST {
            throw ArchiveWorkspaceError(path: path, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        let root = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else {
            throw ArchiveWorkspaceError(path: path, message: "cannot open as a directory: \(String(cString: strerror(errno)))")
        }
        self.root = root
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard contents.isEmpty else {
            close(root)
            throw ArchiveWorkspaceError(path: path, message: "not empty")
        }
    }

    deinit { close(root) }

    /// The descriptor of the directory at these components below the root, created as needed; the caller
    /// closes it. Throws `nil`-free errors naming the component that is not a directory.
    func directory(_ components: ArraySlice<String>, create: Bool = true) -> Result<Int32, DirectoryFailure> {
        var current = dup(root)
        guard current >= 0 else { return .failure(.system(errno)) }
        for component in components {
            if create {
                if mkdirat(current, component, 0o755) != 0, errno != EEXIST {
                    let code = errno
                    close(current)
                    return .failure(code == ENOTDIR ? .notADirectory(component) : .system(code))
                }
            }
            let next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(current)
            guard next >= 0 else {
                return .failure(code == ENOTDIR || code == ELOOP ? .notADirectory(component) : .system(code))
            }
            current = next
        }
        return .success(current)
    }

    /// Why a directory could not be made.
    enum DirectoryFailure: Error {
        case notADirectory(String)
        case system(Int32)
    }

    /// Creates a new regular file at these components (its parent already made); the `errno` (`EEXIST` when
    /// something is already there) when it cannot.
    func createFile(in directory: Int32, components: [String]) -> (descriptor: Int32, errno: Int32) {
        let descriptor = openat(directory, components.last!, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        return (descriptor, descriptor >= 0 ? 0 : errno)
    }

    /// Removes everything below the root (which was empty before the extraction, so all of it is the
    /// extraction's), through descriptors only, never by path (deep archives exceed `PATH_MAX`) and holding
    /// two descriptors at most: each directory's children are moved up to the root before it is removed, so
    /// every item is moved at most once however deep the tree.
    func removeAll() {
        var pending = names(in: root)
        var counter = 0
        while let name = pending.popLast() {
            if unlinkat(root, name, 0) == 0 || errno == ENOENT { continue }
            let directory = openat(root, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if directory >= 0 {
                for child in names(in: directory) {
                    for _ in 0..<8 {
                        counter += 1
                        let flattened = ".removing-\(counter)"
                        if renameat(directory, child, root, flattened) == 0 {
                            pending.append(flattened)
                            break
                        }
                    }
                }
                close(directory)
            }
            unlinkat(root, name, AT_REMOVEDIR)
        }
    }

    private func names(in directory: Int32) -> [String] {
        let copy = dup(directory)
        guard copy >= 0, let stream = fdopendir(copy) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }
}

/// Writes all of a buffer to a descriptor.
func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
    var done = 0
    while done < buffer.count {
        let result = write(descriptor, buffer.baseAddress! + done, buffer.count - done)
        if result < 0 {
            if errno == EINTR { continue }
            return errno
        }
        done += result
    }
    return nil
}
