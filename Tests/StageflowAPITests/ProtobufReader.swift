/// Reads protocol buffer wire format without a schema, enough to check the gnostic encoding in tests.
struct ProtobufReader {
    /// One decoded field: a varint, a 64-bit value or length-delimited bytes.
    enum Value: Equatable {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes([UInt8])

        var string: String? {
            if case .bytes(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }

        var message: [(Int, Value)]? {
            if case .bytes(let bytes) = self { return try? ProtobufReader.fields(bytes) }
            return nil
        }
    }

    struct Malformed: Error {}

    /// The fields of a message in order.
    static func fields(_ bytes: [UInt8]) throws -> [(Int, Value)] {
        var index = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw Malformed() }
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        var fields: [(Int, Value)] = []
        while index < bytes.count {
            let key = try varint()
            let field = Int(key >> 3)
            switch key & 7 {
            case 0:
                fields.append((field, .varint(try varint())))
            case 1:
                guard index + 8 <= bytes.count else { throw Malformed() }
                var value: UInt64 = 0
                for offset in (0..<8).reversed() { value = value << 8 | UInt64(bytes[index + offset]) }
                index += 8
                fields.append((field, .fixed64(value)))
            case 2:
                let length = Int(try varint())
                guard length >= 0, index + length <= bytes.count else { throw Malformed() }
                fields.append((field, .bytes(Array(bytes[index..<index + length]))))
                index += length
            default:
                throw Malformed()
            }
        }
        return fields
    }
}

extension Array where Element == (Int, ProtobufReader.Value) {
    /// Values of one field number.
    func values(_ field: Int) -> [ProtobufReader.Value] {
        filter { $0.0 == field }.map(\.1)
    }

    /// The entry of a repeated `Named…` field (name 1, value 2) with this name, as a message.
    func named(_ field: Int, _ name: String) -> [(Int, ProtobufReader.Value)]? {
        for value in values(field) {
            guard let entry = value.message, entry.values(1).first?.string == name else { continue }
            return entry.values(2).first?.message
        }
        return nil
    }
}
