#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The central directory of a ZIP file, read by hand rather than through a library so that every field
/// the safety checks need (raw name bytes, external attributes, the host that made the entry) is seen as
/// stored, and every offset is checked against the file before anything is read from it.
struct ZIPCentralDirectory {
    /// One central directory record.
    struct Record {
        var index: Int
        var nameBytes: [UInt8]
        var versionMadeBy: UInt16
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var externalAttributes: UInt32
        var localHeaderOffset: UInt64

        /// The Unix mode in the external attributes when a Unix-like host (Unix, macOS) made the entry.
        var unixMode: UInt32? {
            let host = versionMadeBy >> 8
            guard host == 3 || host == 19 else { return nil }
            return externalAttributes >> 16
        }
    }

    var records: [Record]
    /// Where the central directory starts: every entry's data lies before it.
    var startOffset: UInt64

    /// Reads the directory of the open file, refusing more than `maxEntries` before reading them.
    static func read(_ file: ArchiveFile, maxEntries: Int) throws(UnsafeArchive) -> ZIPCentralDirectory {
        let size = file.size
        guard size >= 22 else { throw UnsafeArchive(.notAZip, reason: "not a ZIP archive: the file is only \(size) bytes") }
        let tailLength = Int(min(size, 22 + 65_535))
        let tailStart = size - UInt64(tailLength)
        guard let tail = file.read(at: tailStart, count: tailLength) else {
            throw UnsafeArchive(.corrupt, reason: "the archive cannot be read")
        }
        var eocd: Int?
        var position = tail.count - 22
        while position >= 0 {
            if tail.u32(position) == 0x0605_4b50 { eocd = position; break }
            position -= 1
        }
        guard let eocd else {
            if let head = file.read(at: 0, count: 4), head.u32(0) == 0x0403_4b50 {
                throw UnsafeArchive(
                    .corrupt, reason: "the archive is truncated: it starts like a ZIP but has no end-of-central-directory record")
            }
            throw UnsafeArchive(.notAZip, reason: "not a ZIP archive: no end-of-central-directory record")
        }
        let eocdOffset = tailStart + UInt64(eocd)
        guard tail.u16(eocd + 4) == 0, tail.u16(eocd + 6) == 0 else {
            throw UnsafeArchive(.corrupt, reason: "multi-volume archives are not supported")
        }
        var count = UInt64(tail.u16(eocd + 10))
        var directorySize = UInt64(tail.u32(eocd + 12))
        var directoryOffset = UInt64(tail.u32(eocd + 16))
        var directoryEnd = eocdOffset
        if count == 0xffff || directorySize == 0xffff_ffff || directoryOffset == 0xffff_ffff {
            guard eocdOffset >= 20, let locator = file.read(at: eocdOffset - 20, count: 20), locator.u32(0) == 0x0706_4b50,
                case let zip64Offset = locator.u64(8), zip64Offset <= eocdOffset - 20,
                let record = file.read(at: zip64Offset, count: 56), record.u32(0) == 0x0606_4b50
            else { throw UnsafeArchive(.corrupt, reason: "the ZIP64 end-of-central-directory record is missing or damaged") }
            count = record.u64(32)
            directorySize = record.u64(40)
            directoryOffset = record.u64(48)
            directoryEnd = zip64Offset
        }
        guard count <= UInt64(maxEntries) else {
            throw UnsafeArchive(.tooManyEntries, reason: "the archive has \(count) entries; at most \(maxEntries) are allowed")
        }
        guard directoryOffset <= directoryEnd, directorySize <= directoryEnd - directoryOffset else {
            throw UnsafeArchive(.corrupt, reason: "the archive is truncated: its central directory lies outside the file")
        }
        guard let directory = file.read(at: directoryOffset, count: Int(directorySize)) else {
            throw UnsafeArchive(.corrupt, reason: "the central directory cannot be read")
        }
        var records: [Record] = []
        records.reserveCapacity(Int(count))
        var cursor = 0
        for index in stride(from: 1, through: Int(count), by: 1) {
            guard cursor + 46 <= directory.count, directory.u32(cursor) == 0x0201_4b50 else {
                throw UnsafeArchive(.corrupt, reason: "the central directory is truncated or damaged at entry \(index)")
            }
            let nameLength = Int(directory.u16(cursor + 28))
            let extraLength = Int(directory.u16(cursor + 30))
            let commentLength = Int(directory.u16(cursor + 32))
            let next = cursor + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else {
                throw UnsafeArchive(.corrupt, reason: "the central directory is truncated or damaged at entry \(index)")
            }
            var record = Record(
                index: index, nameBytes: Array(directory[(cursor + 46)..<(cursor + 46 + nameLength)]),
                versionMadeBy: directory.u16(cursor + 4), flags: directory.u16(cursor + 8),
                method: directory.u16(cursor + 10), crc32: directory.u32(cursor + 16),
                compressedSize: UInt64(directory.u32(cursor + 20)), uncompressedSize: UInt64(directory.u32(cursor + 24)),
                externalAttributes: directory.u32(cursor + 38), localHeaderOffset: UInt64(directory.u32(cursor + 42)))
            try record.applyZIP64(directory[(cursor + 46 + nameLength)..<(cursor + 46 + nameLength + extraLength)])
            records.append(record)
            cursor = next
        }
        return ZIPCentralDirectory(records: records, startOffset: directoryOffset)
    }
}

extension ZIPCentralDirectory.Record {
    /// Replaces the 32-bit fields saturated at `0xffffffff` with the ZIP64 extended information's values.
    fileprivate mutating func applyZIP64(_ extra: ArraySlice<UInt8>) throws(UnsafeArchive) {
        guard uncompressedSize == 0xffff_ffff || compressedSize == 0xffff_ffff || localHeaderOffset == 0xffff_ffff
        else { return }
        let bytes = Array(extra)
        var cursor = 0
        while cursor + 4 <= bytes.count {
            let id = bytes.u16(cursor)
            let length = Int(bytes.u16(cursor + 2))
            guard cursor + 4 + length <= bytes.count else { break }
            if id == 0x0001 {
                var field = cursor + 4
                let end = field + length
                func take() throws(UnsafeArchive) -> UInt64 {
                    guard field + 8 <= end else {
                        throw UnsafeArchive(.corrupt, entryIndex: index, reason: "its ZIP64 extra field is too short")
                    }
                    defer { field += 8 }
                    return bytes.u64(field)
                }
                if uncompressedSize == 0xffff_ffff { uncompressedSize = try take() }
                if compressedSize == 0xffff_ffff { compressedSize = try take() }
                if localHeaderOffset == 0xffff_ffff { localHeaderOffset = try take() }
                return
            }
            cursor += 4 + length
        }
        throw UnsafeArchive(.corrupt, entryIndex: index, reason: "its ZIP64 extra field is missing")
    }
}

/// A read-only archive file read at offsets.
final class ArchiveFile {
    let descriptor: Int32
    let size: UInt64

    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.size = UInt64(status.st_size)
    }

    deinit { close(descriptor) }

    /// Exactly `count` bytes at `offset`, or `nil` when the file is shorter.
    func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        guard read(at: offset, into: &bytes, count: count) else { return nil }
        return bytes
    }

    /// Fills the first `count` bytes of the buffer from `offset`; false when the file is shorter.
    func read(at offset: UInt64, into buffer: UnsafeMutableRawPointer, count: Int) -> Bool {
        var done = 0
        while done < count {
            let result = pread(descriptor, buffer + done, count - done, off_t(offset) + off_t(done))
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return false }
            done += result
        }
        return true
    }

    private func read(at offset: UInt64, into bytes: inout [UInt8], count: Int) -> Bool {
        bytes.withUnsafeMutableBytes { buffer in
            count == 0 || read(at: offset, into: buffer.baseAddress!, count: count)
        }
    }
}

extension Array where Element == UInt8 {
    func u16(_ offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }
    func u32(_ offset: Int) -> UInt32 { UInt32(u16(offset)) | UInt32(u16(offset + 2)) << 16 }
    func u64(_ offset: Int) -> UInt64 { UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32 }
}
