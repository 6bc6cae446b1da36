import Foundation

/// A bound statement parameter, sent in PostgreSQL's binary format so values cross the wire without escaping.
public enum PostgresValue: Sendable, Hashable {
    /// A `bigint`; `nil` is SQL NULL.
    case int64(Int64?)
    /// A `text`; `nil` is SQL NULL.
    case text(String?)
    /// A `bytea`; `nil` is SQL NULL.
    case bytea(Data?)
    /// A `bigint[]` whose elements may be NULL.
    case int64Array([Int64?])
    /// A `text[]` whose elements may be NULL.
    case textArray([String?])
    /// A `bytea[]` whose elements may be NULL.
    case byteaArray([Data?])

    /// The type oid declared when the statement is prepared.
    var typeOID: UInt32 {
        switch self {
        case .int64: Self.int8OID
        case .text: Self.textOID
        case .bytea: Self.byteaOID
        case .int64Array: 1016
        case .textArray: 1009
        case .byteaArray: 1001
        }
    }

    /// The binary wire form, `nil` for NULL.
    var binary: [UInt8]? {
        switch self {
        case .int64(let value): value.map(Self.bigEndian)
        case .text(let value): value.map { Array($0.utf8) }
        case .bytea(let value): value.map { [UInt8]($0) }
        case .int64Array(let elements): Self.array(of: Self.int8OID, elements.map { $0.map(Self.bigEndian) })
        case .textArray(let elements): Self.array(of: Self.textOID, elements.map { $0.map { Array($0.utf8) } })
        case .byteaArray(let elements): Self.array(of: Self.byteaOID, elements.map { $0.map { [UInt8]($0) } })
        }
    }

    private static let int8OID: UInt32 = 20
    private static let textOID: UInt32 = 25
    private static let byteaOID: UInt32 = 17

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// A one-dimensional array as `array_recv` reads it: dimensions, a has-NULLs flag, the element type, the
    /// length and lower bound, then each element as a length (-1 for NULL) and its bytes.
    private static func array(of elementOID: UInt32, _ elements: [[UInt8]?]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + elements.reduce(0) { $0 + 4 + ($1?.count ?? 0) })
        let hasNulls = elements.contains { $0 == nil }
        bytes += bigEndian(Int32(elements.isEmpty ? 0 : 1))
        bytes += bigEndian(Int32(hasNulls ? 1 : 0))
        bytes += bigEndian(elementOID)
        if !elements.isEmpty {
            bytes += bigEndian(Int32(elements.count))
            bytes += bigEndian(Int32(1))
        }
        for element in elements {
            if let element {
                bytes += bigEndian(Int32(element.count))
                bytes += element
            } else {
                bytes += bigEndian(Int32(-1))
            }
        }
        return bytes
    }
}
