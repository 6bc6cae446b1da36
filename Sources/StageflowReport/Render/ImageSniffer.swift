import Foundation

/// Recognises screenshot formats and reads their pixel size from the file header.
enum ImageSniffer {
    /// `image/png`, `image/jpeg`, `image/webp` or `image/gif`; `nil` for anything else.
    static func mediaType(of data: Data) -> String? {
        let bytes = [UInt8](data.prefix(12))
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        return nil
    }

    /// Width and height in pixels of a PNG or JPEG, `nil` when unknown.
    static func pixelSize(of data: Data) -> (width: Double, height: Double)? {
        let bytes = [UInt8](data.prefix(65_536))
        func u16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        func u32(_ at: Int) -> Int { u16(at) << 16 | u16(at + 2) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), bytes.count >= 24 {
            return (Double(u32(16)), Double(u32(20)))
        }
        guard bytes.starts(with: [0xFF, 0xD8]) else { return nil }
        var index = 2
        while index + 9 < bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if marker == 0xFF {
                index += 1
                continue
            }
            let length = u16(index + 2)
            let isFrame = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrame { return (Double(u16(index + 7)), Double(u16(index + 5))) }
            guard length >= 2 else { return nil }
            index += 2 + length
        }
        return nil
    }
}
