import CLibPQ
import Foundation

/// One row of a result in binary format; valid only inside the row callback that receives it.
struct PostgresRow {
    let result: OpaquePointer
    let index: Int32

    /// Whether the column is SQL NULL.
    func isNull(_ column: Int32) -> Bool {
        PQgetisnull(result, index, column) == 1
    }

    /// An integer column (`smallint`, `integer` or `bigint`); 0 for NULL.
    func int64(_ column: Int32) -> Int64 {
        let bytes = raw(column)
        switch bytes.count {
        case 8: return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
        case 4: return Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self)))
        case 2: return Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self)))
        default: return 0
        }
    }

    /// An integer column, `nil` for NULL.
    func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    /// A `text` column; empty for NULL.
    func text(_ column: Int32) -> String {
        String(decoding: raw(column), as: UTF8.self)
    }

    /// A `bytea` column; empty for NULL.
    func data(_ column: Int32) -> Data {
        Data(raw(column))
    }

    private func raw(_ column: Int32) -> UnsafeRawBufferPointer {
        let count = Int(PQgetlength(result, index, column))
        guard count > 0, let pointer = PQgetvalue(result, index, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }
}
