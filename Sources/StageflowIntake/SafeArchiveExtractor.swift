#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Extracts an uploaded ZIP archive into a job's workspace under the limits of `docs/architecture.md`, counting bytes as
/// the decompressor produces them (the central directory's sizes are checked too, never trusted). Entries
/// that could escape the workspace (absolute, `..`, drive-letter, backslash or NUL names, symbolic links,
/// devices) are refused before anything is written; on any refusal the workspace is emptied again, so
/// nothing half-extracted is left behind.
///
/// The archive is read by hand (central directory, local headers) and inflated with zlib directly:
/// ZIPFoundation 0.9.20's Linux inflater reads past an entry's compressed size and spins forever on a
/// truncated deflate stream, which an upload must not be able to cause.
public struct SafeArchiveExtractor: Sendable {
    /// The limits; the defaults are those of `docs/architecture.md`.
    public struct Limits: Sendable, Hashable {
        /// At most this many entries (directories included).
        public var maxEntries: Int
        /// At most this many bytes written in all.
        public var maxTotalBytes: UInt64
        /// At most this many bytes written for one entry.
        public var maxEntryBytes: UInt64
        /// At most this many bytes written per byte of archive.
        public var maxExpansionRatio: UInt64
        /// At most this many characters in an entry's name.
        public var maxNameLength: Int

        /// Limits; the defaults are 5,000 entries, 1 GiB in all, 250 MiB per entry, 100× expansion and
        /// 4,096-character names.
        public init(
            maxEntries: Int = 5_000, maxTotalBytes: UInt64 = 1 << 30, maxEntryBytes: UInt64 = 250 << 20,
            maxExpansionRatio: UInt64 = 100, maxNameLength: Int = 4_096
        ) {
            self.maxEntries = maxEntries
            self.maxTotalBytes = maxTotalBytes
            self.maxEntryBytes = maxEntryBytes
            self.maxExpansionRatio = maxExpansionRatio
            self.maxNameLength = maxNameLength
        }
    }

    /// What was extracted.
    public struct Summary: Sendable, Hashable {
        /// Files written.
        public var files: Int
        /// Directories created (explicit entries and parents).
        public var directories: Int
        /// Bytes written.
        public var bytes: UInt64
    }

    /// The limits.
    public var limits: Limits
    /// Check the central directory's declared sizes against the limits before writing; off only in tests
    /// that exercise the limits enforced while writing.
    var checksDeclaredSizes = true

    /// An extractor.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Extracts the archive at `archivePath` into `workspacePath` (created when missing, and it must be
    /// empty). Throws `UnsafeArchive` for an archive refused, after emptying the workspace again, and
    /// `ArchiveWorkspaceError` when the workspace cannot be used.
    @discardableResult
    public func extract(archiveAt archivePath: String, into workspacePath: String) throws -> Summary {
        guard let file = ArchiveFile(path: archivePath) else {
            throw UnsafeArchive(.notAZip, reason: "not a ZIP archive: \(archivePath) is not a readable regular file")
        }
        let directory = try ZIPCentralDirectory.read(file, maxEntries: limits.maxEntries)
        let plan = try ExtractionPlan(directory: directory, archiveSize: file.size, limits: limits, checksDeclaredSizes: checksDeclaredSizes)
        let workspace = try ArchiveWorkspace(path: workspacePath)
        do {
            var writer = ExtractionWriter(file: file, workspace: workspace, limits: limits, archiveSize: file.size, dataEnd: directory.startOffset)
            for entry in plan.entries { try writer.write(entry) }
            return Summary(files: writer.files, directories: writer.directories, bytes: writer.total)
        } catch {
            workspace.removeAll()
            throw error
        }
    }
}

/// One entry checked and ready to write.
struct PlannedEntry {
    var record: ZIPCentralDirectory.Record
    var name: String
    var components: [String]
    var isDirectory: Bool

    func refuse(_ check: UnsafeArchive.Check, _ reason: String) -> UnsafeArchive {
        UnsafeArchive(check, entryIndex: record.index, entryName: name, reason: reason)
    }
}

/// Every entry's name, type and declared sizes checked before a byte is written.
struct ExtractionPlan {
    var entries: [PlannedEntry] = []

    init(directory: ZIPCentralDirectory, archiveSize: UInt64, limits: SafeArchiveExtractor.Limits, checksDeclaredSizes: Bool)
        throws(UnsafeArchive)
    {
        let tree = PathNode()
        var declaredTotal: UInt64 = 0
        for record in directory.records {
            let entry = try Self.check(record, limits: limits)
            try tree.insert(entry)
            if checksDeclaredSizes, !entry.isDirectory {
                if record.uncompressedSize > limits.maxEntryBytes {
                    throw entry.refuse(
                        .entryTooLarge, "declares \(record.uncompressedSize) bytes, above the limit of \(limits.maxEntryBytes) per entry")
                }
                declaredTotal += record.uncompressedSize
                if declaredTotal > limits.maxTotalBytes {
                    throw entry.refuse(
                        .totalTooLarge, "brings the declared total to \(declaredTotal) bytes, above the limit of \(limits.maxTotalBytes)")
                }
                if declaredTotal > limits.maxExpansionRatio * archiveSize {
                    throw entry.refuse(
                        .expansionRatio,
                        "brings the declared total to \(declaredTotal) bytes, more than \(limits.maxExpansionRatio)× the archive's \(archiveSize) bytes")
                }
            }
            entries.append(entry)
        }
    }

    static func check(_ record: ZIPCentralDirectory.Record, limits: SafeArchiveExtractor.Limits) throws(UnsafeArchive) -> PlannedEntry {
        let raw = record.nameBytes
        let lossy = String(decoding: raw, as: UTF8.self)
        func refuse(_ check: UnsafeArchive.Check, _ reason: String) -> UnsafeArchive {
            UnsafeArchive(check, entryIndex: record.index, entryName: lossy, reason: reason)
        }
        if raw.contains(0) { throw refuse(.nulByte, "name contains a NUL byte") }
        guard let name = String(validating: raw, as: UTF8.self) else { throw refuse(.invalidName, "name is not UTF-8") }
        guard name.count <= limits.maxNameLength else {
            throw refuse(.nameTooLong, "name is \(name.count) characters long; at most \(limits.maxNameLength) are allowed")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw refuse(.controlCharacter, "name contains a control character")
        }
        if name.contains("\\") { throw refuse(.backslash, "name contains a backslash (a Windows path separator)") }
        if name.hasPrefix("/") { throw refuse(.absolutePath, "path is absolute") }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        if let first = parts.first, first.count >= 2, first.first!.isASCII, first.first!.isLetter,
            first[first.index(after: first.startIndex)] == ":"
        {
            throw refuse(.driveLetter, "path starts with a drive letter")
        }
        if parts.contains("..") { throw refuse(.pathTraversal, "path leaves the workspace") }
        let components = parts.filter { $0 != "." }.map(String.init)
        guard !components.isEmpty else { throw refuse(.invalidName, "path is empty") }
        if let bad = components.first(where: { $0.utf8.count > 255 }) {
            throw refuse(.nameTooLong, "path component of \(bad.utf8.count) bytes; at most 255 are allowed")
        }
        var isDirectory = name.hasSuffix("/")
        if let mode = record.unixMode {
            switch mode & 0o170000 {
            case 0o120000: throw refuse(.symlink, "entry is a symbolic link")
            case 0o020000, 0o060000, 0o010000, 0o140000: throw refuse(.specialFile, "entry is a device, FIFO or socket")
            case 0o040000: isDirectory = true
            default: break
            }
        }
        if !isDirectory {
            if record.flags & 1 != 0 { throw refuse(.encrypted, "entry is encrypted") }
            guard record.method == 0 || record.method == 8 else {
                throw refuse(.unsupportedCompression, "compression method \(record.method) is not supported (only stored and deflate)")
            }
        }
        return PlannedEntry(record: record, name: name, components: components, isDirectory: isDirectory)
    }
}

/// The paths planned so far, as a tree, so that duplicates and file/directory conflicts are found in time
/// proportional to the name's length.
final class PathNode {
    var children: [String: PathNode] = [:]
    var isFile = false

    func insert(_ entry: PlannedEntry) throws(UnsafeArchive) {
        var node = self
        let directoryCount = entry.isDirectory ? entry.components.count : entry.components.count - 1
        for (depth, component) in entry.components.prefix(directoryCount).enumerated() {
            if let child = node.children[component] {
                if child.isFile {
                    let prefix = entry.components.prefix(depth + 1).joined(separator: "/")
                    throw entry.refuse(.pathConflict, "\(prefix) on its path is a file, not a directory")
                }
                node = child
            } else {
                let child = PathNode()
                node.children[component] = child
                node = child
            }
        }
        guard !entry.isDirectory, let name = entry.components.last else { return }
        if let existing = node.children[name] {
            if existing.isFile {
                throw entry.refuse(.duplicateEntry, "another entry already has the path \(entry.components.joined(separator: "/"))")
            }
            throw entry.refuse(.pathConflict, "a directory already exists at its path")
        }
        let file = PathNode()
        file.isFile = true
        node.children[name] = file
    }
}

/// Writes planned entries, counting every byte against the limits as it is produced.
struct ExtractionWriter {
    let file: ArchiveFile
    let workspace: ArchiveWorkspace
    let limits: SafeArchiveExtractor.Limits
    let archiveSize: UInt64
    /// Entry data must lie before the central directory.
    let dataEnd: UInt64
    var total: UInt64 = 0
    var files = 0
    var directories = 0
    private static let chunkSize = 64 * 1024

    init(file: ArchiveFile, workspace: ArchiveWorkspace, limits: SafeArchiveExtractor.Limits, archiveSize: UInt64, dataEnd: UInt64) {
        self.file = file
        self.workspace = workspace
        self.limits = limits
        self.archiveSize = archiveSize
        self.dataEnd = dataEnd
    }

    mutating func write(_ entry: PlannedEntry) throws {
        let parentComponents = entry.isDirectory ? entry.components[...] : entry.components.dropLast()
        let parent: Int32
        switch workspace.directory(parentComponents) {
        case .success(let descriptor): parent = descriptor
        case .failure(.notADirectory(let component)):
            throw entry.refuse(.pathConflict, "\(component) on its path is a file, not a directory")
        case .failure(.system(let code)):
            throw ArchiveWorkspaceError(path: workspace.path, message: "cannot create \(entry.name): \(String(cString: strerror(code)))")
        }
        defer { close(parent) }
        if entry.isDirectory {
            directories += 1
            return
        }
        let dataStart = try locateData(entry)
        let (output, code) = workspace.createFile(in: parent, components: entry.components)
        guard output >= 0 else {
            switch code {
            case EEXIST: throw entry.refuse(.duplicateEntry, "something already exists at its path")
            case ELOOP, EISDIR: throw entry.refuse(.pathConflict, "a directory already exists at its path")
            default:
                throw ArchiveWorkspaceError(path: workspace.path, message: "cannot create \(entry.name): \(String(cString: strerror(code)))")
            }
        }
        defer { close(output) }
        files += 1
        var sink = EntrySink(entry: entry, output: output, writer: self)
        if entry.record.method == 0 {
            try copyStored(entry, from: dataStart, into: &sink)
        } else {
            try inflate(entry, from: dataStart, into: &sink)
        }
        total = sink.total
        guard sink.written == entry.record.uncompressedSize else {
            throw entry.refuse(.sizeMismatch, "inflates to \(sink.written) bytes but its directory entry declares \(entry.record.uncompressedSize)")
        }
        guard sink.crc == entry.record.crc32 else {
            throw entry.refuse(.checksumMismatch, "CRC-32 is \(hex(sink.crc)) but its directory entry declares \(hex(entry.record.crc32))")
        }
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    /// Where the entry's data starts, after its local header; checked to end before the central directory.
    private func locateData(_ entry: PlannedEntry) throws(UnsafeArchive) -> UInt64 {
        let offset = entry.record.localHeaderOffset
        guard let header = file.read(at: offset, count: 30), header.u32(0) == 0x0403_4b50 else {
            throw entry.refuse(.corrupt, "its local header is missing or damaged (the archive may be truncated)")
        }
        let start = offset + 30 + UInt64(header.u16(26)) + UInt64(header.u16(28))
        guard start <= dataEnd, entry.record.compressedSize <= dataEnd - start else {
            throw entry.refuse(.corrupt, "its data runs past the end of the archive's data (the archive may be truncated)")
        }
        return start
    }

    private func copyStored(_ entry: PlannedEntry, from start: UInt64, into sink: inout EntrySink) throws {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset: UInt64 = 0
        while offset < entry.record.compressedSize {
            let count = Int(min(UInt64(Self.chunkSize), entry.record.compressedSize - offset))
            guard file.read(at: start + offset, into: buffer, count: count) else {
                throw entry.refuse(.corrupt, "its data is truncated")
            }
            try sink.consume(UnsafeRawBufferPointer(start: buffer, count: count))
            offset += UInt64(count)
        }
    }

    private func inflate(_ entry: PlannedEntry, from start: UInt64, into sink: inout EntrySink) throws {
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.chunkSize)
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.chunkSize)
        defer {
            input.deallocate()
            output.deallocate()
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw entry.refuse(.corrupt, "zlib cannot be initialised")
        }
        defer { inflateEnd(&stream) }
        var consumed: UInt64 = 0
        var finished = false
        while !finished {
            if stream.avail_in == 0 {
                guard consumed < entry.record.compressedSize else {
                    throw entry.refuse(.corrupt, "its compressed data ends before the deflate stream does (truncated)")
                }
                let count = Int(min(UInt64(Self.chunkSize), entry.record.compressedSize - consumed))
                guard file.read(at: start + consumed, into: input, count: count) else {
                    throw entry.refuse(.corrupt, "its data is truncated")
                }
                consumed += UInt64(count)
                stream.next_in = input
                stream.avail_in = UInt32(count)
            }
            repeat {
                stream.next_out = output
                stream.avail_out = UInt32(Self.chunkSize)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                let produced = Self.chunkSize - Int(stream.avail_out)
                if produced > 0 { try sink.consume(UnsafeRawBufferPointer(start: output, count: produced)) }
                switch status {
                case Z_STREAM_END: finished = true
                case Z_OK: break
                case Z_BUF_ERROR where stream.avail_in == 0: break
                default:
                    throw entry.refuse(.corrupt, "its deflate data is invalid")
                }
            } while !finished && stream.avail_out == 0
        }
    }
}

/// Counts, checks, checksums and writes one entry's bytes as they are produced.
struct EntrySink {
    let entry: PlannedEntry
    let output: Int32
    let limits: SafeArchiveExtractor.Limits
    let archiveSize: UInt64
    let path: String
    var written: UInt64 = 0
    var total: UInt64
    var crc: UInt32 = 0

    init(entry: PlannedEntry, output: Int32, writer: ExtractionWriter) {
        self.entry = entry
        self.output = output
        self.limits = writer.limits
        self.archiveSize = writer.archiveSize
        self.path = writer.workspace.path
        self.total = writer.total
    }

    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws {
        let count = UInt64(bytes.count)
        written += count
        total += count
        if written > entry.record.uncompressedSize {
            throw entry.refuse(
                .sizeMismatch, "inflates past the \(entry.record.uncompressedSize) bytes its directory entry declares")
        }
        if written > limits.maxEntryBytes {
            throw entry.refuse(.entryTooLarge, "inflates past the limit of \(limits.maxEntryBytes) bytes per entry")
        }
        if total > limits.maxTotalBytes {
            throw entry.refuse(.totalTooLarge, "brings the bytes written past the limit of \(limits.maxTotalBytes) in all")
        }
        if total > limits.maxExpansionRatio * archiveSize {
            throw entry.refuse(
                .expansionRatio, "brings the bytes written past \(limits.maxExpansionRatio)× the archive's \(archiveSize) bytes")
        }
        crc = UInt32(truncatingIfNeeded: crc32(uLong(crc), bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
        if let code = writeAll(output, bytes) {
            throw ArchiveWorkspaceError(path: path, message: "cannot write \(entry.name): \(String(cString: strerror(code)))")
        }
    }
}
