import Foundation
import Hummingbird
import StageflowAPI
import StageflowSchema

/// Reading request bodies: the size limit, and JSON or YAML into a `JSONValue` with the parser's message on
/// failure.
enum RequestDocument {
    /// How a body is written.
    enum Format: Sendable {
        case json
        case yaml
    }

    /// Collects the whole body, refusing more than `limit` bytes with 413.
    static func collect(_ request: Request, limit: Int) async throws -> Data {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIStatus.tooLarge(limit: limit)
        }
        return Data(buffer.readableBytesView)
    }

    /// The format of a create or update body from its `Content-Type`, which must be given: a body without one
    /// is what a web page's `fetch(…, {mode: "no-cors"})` sends, and is refused with 415.
    static func format(contentType: String?) throws -> Format {
        guard let contentType, !contentType.isEmpty else {
            throw APIStatus(
                code: 415, reason: "UnsupportedMediaType",
                message: "the request has no Content-Type; send application/json or application/yaml")
        }
        let media = MediaType(contentType).type
        switch media {
        case "application/json", "text/json": return .json
        case "application/yaml", "application/x-yaml", "text/yaml": return .yaml
        default: throw APIStatus.unsupportedMediaType(media)
        }
    }

    /// Parses a body that must be one JSON (or YAML) object.
    static func object(from data: Data, format: Format) throws -> JSONValue {
        let value = try parse(data, format: format)
        guard case .object = value else {
            throw APIStatus.badRequest("the request body must be a JSON object, not \(value.typeName)")
        }
        return value
    }

    /// Parses a body of any JSON type.
    static func parse(_ data: Data, format: Format) throws -> JSONValue {
        switch format {
        case .json:
            if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                throw APIStatus.badRequest("the request body is empty; a JSON object was expected")
            }
            do {
                return try JSONValue.parse(data)
            } catch {
                // JSONParseError names the byte offset of the fault.
                throw APIStatus.badRequest("the request body is not valid JSON: \(error)")
            }
        case .yaml:
            guard let text = String(data: data, encoding: .utf8) else {
                throw APIStatus.badRequest("the request body is not valid YAML: it is not UTF-8 text")
            }
            let documents: [JSONValue]
            do {
                documents = try JSONValue.parseYAMLDocuments(text)
            } catch {
                throw APIStatus.badRequest("the request body is not valid YAML: \(error)")
            }
            guard documents.count <= 1 else {
                throw APIStatus.badRequest("the request body holds \(documents.count) YAML documents; exactly one is expected")
            }
            guard let document = documents.first else {
                throw APIStatus.badRequest("the request body is empty; a YAML object was expected")
            }
            return document
        }
    }
}
