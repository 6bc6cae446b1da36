import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Objects as files under a root directory, the embedded default: the key `a/b/c.json` is the file
/// `<root>/a/b/c.json`. Writes go to a temporary file in the same directory, are flushed with `fsync` and renamed
/// into place, so a reader never sees a partial object and a failed write leaves the previous one; directories
/// are created as needed and removed again when they become empty.
///
/// Limits of a directory compared to S3: a key cannot be both an object and the folder of other objects
/// (`a/b` and `a/b/c`; the second write fails with kind `.conflict`); the content type given to `put` is not
/// recorded, `head` and `list` report the type the key's extension implies; `presignedGetURL` returns `nil`,
/// since the API server serves these files itself and signs its own links.
public struct FilesystemObjectStore: ObjectStore {
    /// The directory holding the objects.
    public let root: URL
    private let logger: Logger

    /// A store over `root`, which is created (with its parents) if it does not exist.
    public init(root: URL, logger: Logger = Logger(label: "stageflow.objectstore.filesystem")) throws {
        self.root = root.standardizedFileURL
        self.logger = logger
        do {
            try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
        } catch {
            throw ObjectStoreError(
                .io, store: "directory \(self.root.path)",
                message: "cannot create the store directory: \(error.localizedDescription)")
        }
    }

    /// `directory <root>`, as errors name this store.
    public var name: String { "directory \(root.path)" }

    /// Stores `data` under `key` atomically.
    public func put(_ key: String, data: Data, contentType: String?) async throws {
        try await write(key) { writer in try writer.write(data) }
    }

    /// Streams `chunks` into a temporary file and renames it to `key` once the sequence has ended.
    public func put<Chunks: AsyncSequence>(_ key: String, chunks: Chunks, contentType: String?) async throws
    where Chunks.Element == Data {
        try await write(key) { writer in
            for try await chunk in chunks {
                try Task.checkCancellation()
                try writer.write(chunk)
            }
        }
    }

    /// Reads the whole file of `key`.
    public func get(_ key: String) async throws -> Data {
        let path = try existingFile(key)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ObjectStoreError(.io, store: name, key: key, message: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Copies the file of `key` to `destination` in chunks, through a temporary file beside the destination.
    public func get(_ key: String, to destination: URL) async throws {
        let path = try existingFile(key)
        let target = destination.standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let writer = try AtomicFileWriter(destination: target)
            do {
                for try await chunk in FileChunks(url: URL(fileURLWithPath: path)) {
                    try Task.checkCancellation()
                    try writer.write(chunk)
                }
                try writer.commit()
            } catch {
                writer.abort()
                throw error
            }
        } catch let error as ObjectStoreError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ObjectStoreError(.io, store: name, key: key, message: "cannot copy to \(target): \(error)")
        }
    }

    /// Size, modification time, an etag from inode, time and size, and the type the extension implies.
    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKeys.validate(key, store: name)
        guard let status = try status(of: path(of: key), key: key), status.type == .regular else { return nil }
        return info(key, status)
    }

    /// Walks the directory that holds `prefix` and returns every file below it whose key starts with `prefix`.
    public func list(prefix: String) async throws -> [ObjectInfo] {
        try ObjectKeys.validate(prefix: prefix, store: name)
        let (folder, namePrefix) = Self.split(prefix)
        var found: [ObjectInfo] = []
        try walk(folder: folder, namePrefix: namePrefix, into: &found)
        return found.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Removes the file of `key` and any directories left empty.
    public func delete(_ key: String) async throws {
        try ObjectKeys.validate(key, store: name)
        let path = path(of: key)
        guard let status = try status(of: path, key: key), status.type != .directory else { return }
        if unlink(path) != 0, errno != ENOENT {
            throw ObjectStoreError(.io, store: name, key: key, message: POSIXFailure(operation: "unlink", path: path, code: errno).description)
        }
        pruneEmptyDirectories(from: (path as NSString).deletingLastPathComponent)
    }

    /// Removes the directory tree of a prefix ending in `/`; for another prefix, every entry of its directory
    /// whose name starts with the prefix's last segment.
    public func deletePrefix(_ prefix: String) async throws {
        try ObjectKeys.validate(prefix: prefix, store: name)
        guard !prefix.isEmpty else {
            throw ObjectStoreError(
                .invalidKey, store: name, key: prefix, message: "refusing to delete with an empty prefix (every object)")
        }
        let (folder, namePrefix) = Self.split(prefix)
        let directory = folder.isEmpty ? root.path : path(of: String(folder.dropLast()))
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(namePrefix) && !entry.hasPrefix(ObjectKeys.reservedSegmentPrefix) {
            let target = "\(directory)/\(entry)"
            do {
                try manager.removeItem(atPath: target)
            } catch {
                guard manager.fileExists(atPath: target) else { continue }
                throw ObjectStoreError(
                    .io, store: name, key: prefix, message: "cannot remove \(target): \(error.localizedDescription)")
            }
            logger.debug("removed objects", metadata: ["path": "\(target)"])
        }
        pruneEmptyDirectories(from: directory)
    }

    /// Always `nil`: files are served by the API server, which signs its own local links.
    public func presignedGetURL(_ key: String, expiresInSeconds: Int) async throws -> URL? {
        try ObjectKeys.validate(key, store: name)
        return nil
    }

    /// The file path of a valid key.
    func path(of key: String) -> String {
        "\(root.path)/\(key)"
    }

    // MARK: - Writing

    private func write(_ key: String, _ produce: (AtomicFileWriter) async throws -> Void) async throws {
        try ObjectKeys.validate(key, store: name)
        let destination = path(of: key)
        let writer = try openWriter(for: destination, key: key)
        do {
            try await produce(writer)
            try writer.commit()
        } catch let failure as POSIXFailure {
            writer.abort()
            if failure.operation == "rename", failure.code == EISDIR || failure.code == ENOTEMPTY || failure.code == EEXIST {
                throw ObjectStoreError(
                    .conflict, store: name, key: key,
                    message: "\(destination) is a directory holding other objects, so it cannot also be an object")
            }
            throw ObjectStoreError(.io, store: name, key: key, message: failure.description)
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Creates the directories of `destination` and a temporary file beside it; retries when a concurrent delete
    /// removes a just-created empty directory.
    private func openWriter(for destination: String, key: String) throws -> AtomicFileWriter {
        let directory = (destination as NSString).deletingLastPathComponent
        var attempt = 0
        while true {
            attempt += 1
            do {
                try createDirectories(directory, key: key)
                return try AtomicFileWriter(destination: destination)
            } catch let failure as POSIXFailure where failure.code == ENOENT && attempt < 5 {
                continue
            } catch let failure as POSIXFailure {
                throw ObjectStoreError(.io, store: name, key: key, message: failure.description)
            }
        }
    }

    private func createDirectories(_ directory: String, key: String) throws {
        var current = root.path
        for segment in directory.dropFirst(root.path.count).split(separator: "/") {
            current += "/\(segment)"
            if mkdir(current, 0o755) == 0 || errno == EEXIST {
                if let status = try status(of: current, key: key), status.type == .directory { continue }
                throw ObjectStoreError(
                    .conflict, store: name, key: key,
                    message: "\(current) is an object, so it cannot also be a directory of other objects")
            }
            throw POSIXFailure(operation: "mkdir", path: current, code: errno)
        }
    }

    /// Removes empty directories from `directory` up to, not including, the root; stops at the first that is
    /// not empty.
    private func pruneEmptyDirectories(from directory: String) {
        var current = directory
        while current.count > root.path.count, current.hasPrefix(root.path + "/") {
            guard rmdir(current) == 0 else { return }
            current = (current as NSString).deletingLastPathComponent
        }
    }

    // MARK: - Reading

    private func existingFile(_ key: String) throws -> String {
        try ObjectKeys.validate(key, store: name)
        let path = path(of: key)
        guard let status = try status(of: path, key: key), status.type == .regular else {
            throw ObjectStoreError(.notFound, store: name, key: key, message: "no such object")
        }
        return path
    }

    private func status(of path: String, key: String) throws -> FileStatus? {
        do {
            return try FileStatus.of(path)
        } catch {
            throw ObjectStoreError(.io, store: name, key: key, message: error.description)
        }
    }

    private func info(_ key: String, _ status: FileStatus) -> ObjectInfo {
        ObjectInfo(
            key: key, size: status.size, etag: status.etag, contentType: MediaTypes.forKey(key),
            lastModified: status.modificationDate)
    }

    /// Adds every file under `folder` (a key prefix ending in `/`, or empty) whose first name below it starts
    /// with `namePrefix`.
    private func walk(folder: String, namePrefix: String, into found: inout [ObjectInfo]) throws {
        let directory = folder.isEmpty ? root.path : path(of: String(folder.dropLast()))
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(namePrefix) && !entry.hasPrefix(ObjectKeys.reservedSegmentPrefix) {
            let key = folder + entry
            guard let status = try? FileStatus.of("\(directory)/\(entry)") else { continue }
            switch status.type {
            case .regular: found.append(info(key, status))
            case .directory: try walk(folder: key + "/", namePrefix: "", into: &found)
            case .other: continue
            }
        }
    }

    /// `a/b/c` → (`a/b/`, `c`); `a/b/` → (`a/b/`, ``); `c` → (``, `c`).
    private static func split(_ prefix: String) -> (folder: String, namePrefix: String) {
        guard let slash = prefix.lastIndex(of: "/") else { return ("", prefix) }
        return (String(prefix[...slash]), String(prefix[prefix.index(after: slash)...]))
    }
}
