import Foundation
import Hummingbird
import StageflowAPI

/// Serialises watch events as kube-apiserver does, one JSON object per line, converting objects to Tables or
/// metadata when the client asked for that (column definitions only in the first Table).
struct WatchEventEncoder: Sendable {
    let shape: ResponseShape
    let tables: TableConverter?
    private var headersSent = false

    init(shape: ResponseShape, tables: TableConverter?) {
        self.shape = shape
        self.tables = tables
    }

    mutating func encode(_ event: WatchEvent) -> ByteBuffer {
        var object = event.object
        if event.type != .bookmark && event.type != .error {
            switch shape {
            case .object:
                break
            case .table:
                if let tables {
                    object = tables.table(
                        of: [object], resourceVersion: object[path: ["metadata", "resourceVersion"]]?.stringValue,
                        headers: !headersSent)
                    headersSent = true
                }
            case .partialMetadata(let version):
                object = TableConverter.partialMetadata(of: object, version: version)
            }
        }
        let line: JSONValue = ["type": .string(event.type.rawValue), "object": object]
        var data = line.jsonData()
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }
}
