import CZlib
import Foundation

/// Writes ZIP files byte by byte for the extractor tests, including the malformed ones no library would
/// write: lying sizes, symlink and device entries, hostile names, huge inflation from a small stream.
struct TestZIP {
    struct Entry {
        var name: [UInt8]
        /// 0 stored, 8 deflate.
        var method: UInt16 = 8
        /// The bytes stored in the archive (already compressed for deflate).
        var data: [UInt8] = []
        var crc32: UInt32 = 0
        var uncompressedSize: UInt64 = 0
        var versionMadeBy: UInt16 = 0x031e
        var externalAttributes: UInt32 = 0o100644 << 16
        /// A compressed size to declare instead of `data.count`.
        var compressedSizeOverride: UInt32?

        /// A regular file holding `content`, deflated (or stored).
        static func file(_ name: String, _ content: [UInt8], stored: Bool = false) -> Entry {
            Entry(
                name: Array(name.utf8), method: stored ? 0 : 8, data: stored ? content : TestZIP.deflate(content),
                crc32: TestZIP.crc(content), uncompressedSize: UInt64(content.count))
        }

        static func file(_ name: String, _ content: String) -> Entry { file(name, Array(content.utf8)) }

        /// A directory entry.
        static func directory(_ name: String) -> Entry {
            Entry(name: Array(name.utf8), method: 0, externalAttributes: 0o040755 << 16)
        }

        /// `mebibytes` MiB of zeros as a deflate stream of about 1 KiB per MiB, never held uncompressed.
        static func zeros(_ name: String, mebibytes: Int, declaring declared: UInt64? = nil) -> Entry {
            let size = UInt64(mebibytes) << 20
            return Entry(
                name: Array(name.utf8), method: 8, data: TestZIP.zeroStream(mebibytes: mebibytes),
                crc32: TestZIP.zeroCRC(mebibytes: mebibytes), uncompressedSize: declared ?? size)
        }
    }

    var entries: [Entry]

    /// The archive's bytes: local headers and data, central directory, end record.
    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        var offsets: [Int] = []
        for entry in entries {
            offsets.append(out.count)
            out.le32(0x0403_4b50)
            out.le16(20)
            out.le16(0x0800)
            out.le16(entry.method)
            out.le16(0)
            out.le16(0x21)
            out.le32(entry.crc32)
            out.le32(UInt32(entry.data.count))
            out.le32(UInt32(truncatingIfNeeded: entry.uncompressedSize))
            out.le16(UInt16(entry.name.count))
            out.le16(0)
            out += entry.name
            out += entry.data
        }
        let directoryStart = out.count
        for (entry, offset) in zip(entries, offsets) {
            out.le32(0x0201_4b50)
            out.le16(entry.versionMadeBy)
            out.le16(20)
            out.le16(0x0800)
            out.le16(entry.method)
            out.le16(0)
            out.le16(0x21)
            out.le32(entry.crc32)
            out.le32(entry.compressedSizeOverride ?? UInt32(entry.data.count))
            out.le32(UInt32(truncatingIfNeeded: entry.uncompressedSize))
            out.le16(UInt16(entry.name.count))
            out.le16(0)
            out.le16(0)
            out.le16(0)
            out.le16(0)
            out.le32(entry.externalAttributes)
            out.le32(UInt32(offset))
            out += entry.name
        }
        let directorySize = out.count - directoryStart
        out.le32(0x0605_4b50)
        out.le16(0)
        out.le16(0)
        out.le16(UInt16(entries.count))
        out.le16(UInt16(entries.count))
        out.le32(UInt32(directorySize))
        out.le32(UInt32(directoryStart))
        out.le16(0)
        return out
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    static func zeroCRC(mebibytes: Int) -> UInt32 {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var value: uLong = 0
        zeros.withUnsafeBufferPointer { buffer in
            for _ in 0..<mebibytes { value = CZlib.crc32(value, buffer.baseAddress, uInt(buffer.count)) }
        }
        return UInt32(value)
    }

    /// Raw deflate of `bytes`, finished.
    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        deflateRaw(bytes, flush: Z_FINISH)
    }

    /// 1 MiB of zeros compressed and fully flushed (byte-aligned, no back-references), repeated, then an
    /// empty final block: a valid stream of any number of MiB of zeros.
    static func zeroStream(mebibytes: Int) -> [UInt8] {
        let block = deflateRaw([UInt8](repeating: 0, count: 1 << 20), flush: Z_FULL_FLUSH)
        var stream: [UInt8] = []
        stream.reserveCapacity(block.count * mebibytes + 2)
        for _ in 0..<mebibytes { stream += block }
        return stream + [0x03, 0x00]
    }

    private static func deflateRaw(_ bytes: [UInt8], flush: Int32) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                let status = CZlib.deflate(&stream, flush)
                precondition(status == Z_OK || status == Z_STREAM_END)
                precondition(stream.avail_in == 0)
                return outputBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output[..<produced])
    }
}

extension Array where Element == UInt8 {
    mutating func le16(_ value: UInt16) { append(UInt8(value & 0xff)); append(UInt8(value >> 8)) }
    mutating func le32(_ value: UInt32) { le16(UInt16(value & 0xffff)); le16(UInt16(value >> 16)) }
}

/// A scratch directory with `workspace/` and a sibling `outside/` that must stay empty.
struct ExtractionSandbox {
    let root: String
    var workspace: String { root + "/workspace" }
    var outside: String { root + "/outside" }
    var archive: String { root + "/upload.zip" }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-intake-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
    }

    func write(_ zip: TestZIP) throws { try Data(zip.bytes()).write(to: URL(fileURLWithPath: archive)) }

    func write(_ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: archive)) }

    func contents(_ path: String) -> [String] {
        (try? FileManager.default.subpathsOfDirectory(atPath: path))?.sorted() ?? []
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}
