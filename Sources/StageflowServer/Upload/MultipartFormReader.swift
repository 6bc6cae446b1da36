import Crypto
import Foundation
import Hummingbird
import MultipartKit

/// Reads a `multipart/form-data` request body part by part as it arrives, so that a file part can be passed on
/// chunk by chunk (`fileChunks()`) without the body ever being held whole. Counts every body byte against
/// `limit` and throws `MultipartFormError.tooLarge` as soon as it is passed. A form has at most `maxParts` parts,
/// each with at most `maxHeaderBytes` of header lines (`maxHeaders` of them): the parser is fed in small slices
/// and stops as soon as a header section grows past that, so a flood of header bytes costs almost nothing.
///
/// Used by one task at a time: `nextPart()`, then either `fieldValue(limit:)` or `fileChunks()` drained to the
/// end, then `nextPart()` again.
final class MultipartFormReader: @unchecked Sendable {
    /// The headers of one part.
    struct Part: Sendable, Equatable {
        /// The form field name (`name=` of `Content-Disposition`).
        var name: String
        /// The file name given by the client, if this is a file.
        var fileName: String?
        /// The part's `Content-Type`, if given.
        var contentType: String?
    }

    private enum Event {
        case header(String, String)
        case body(ByteBuffer)
        case complete
    }

    private let parser: MultipartParser
    private var body: RequestBody.AsyncIterator
    private let limit: Int
    private let closing: [UInt8]
    private var tail: [UInt8] = []
    private var received = 0
    private var events: [Event] = []
    private var pendingHeaders: [(String, String)] = []
    private var inPart = false
    private var finished = false
    private var inHeaders = true
    private var headerBytes = 0
    private var headerCount = 0
    private var completedParts = 0
    /// The most parts a form may have.
    static let maxParts = 8
    /// The most bytes of header lines (and preamble) before a part's body.
    static let maxHeaderBytes = 16 * 1024
    /// The most header lines of one part.
    static let maxHeaders = 16
    /// Bytes of the current part read so far.
    private(set) var partBytes: Int64 = 0
    /// SHA-256 of the current part's bytes read so far.
    private(set) var partDigest = SHA256()

    /// A reader of `request`'s body, whose `Content-Type` carries the boundary; throws `MultipartFormError` when
    /// it does not.
    init(_ request: Request, limit: Int) throws(MultipartFormError) {
        let boundary = try Self.boundary(contentType: request.headers[.contentType])
        parser = MultipartParser(boundary: boundary)
        closing = Array("--\(boundary)--".utf8)
        body = request.body.makeAsyncIterator()
        self.limit = limit
        parser.onHeader = { [unowned self] name, value in
            self.headerCount += 1
            self.events.append(.header(name, value))
        }
        parser.onBody = { [unowned self] buffer in
            self.inHeaders = false
            self.events.append(.body(buffer))
        }
        parser.onPartComplete = { [unowned self] in
            self.completedParts += 1
            self.inHeaders = true
            self.headerBytes = 0
            self.headerCount = 0
            self.events.append(.complete)
        }
    }

    /// The next part's headers, or `nil` after the last part; the previous part must have been read to its end.
    func nextPart() async throws -> Part? {
        var headers: [(String, String)] = pendingHeaders
        pendingHeaders = []
        partBytes = 0
        partDigest = SHA256()
        while true {
            guard let event = try await nextEvent() else {
                if inPart || !headers.isEmpty {
                    throw MultipartFormError.malformed("the body ends inside a part: the closing boundary is missing")
                }
                return nil
            }
            switch event {
            case .header(let name, let value):
                headers.append((name, value))
            case .body(let buffer):
                // The first body bytes end the headers: hand them back to whoever reads the part.
                events.insert(.body(buffer), at: 0)
                inPart = true
                return try Self.part(headers)
            case .complete:
                events.insert(.complete, at: 0)
                inPart = true
                return try Self.part(headers)
            }
        }
    }

    /// The rest of the current part as text; 400 when it is longer than `limit` bytes or not UTF-8.
    func fieldValue(name: String, limit: Int) async throws -> String {
        var bytes: [UInt8] = []
        while let chunk = try await nextBodyChunk() {
            bytes += chunk.readableBytesView
            if bytes.count > limit {
                throw MultipartFormError.malformed("the form field \"\(name)\" is longer than \(limit) bytes")
            }
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw MultipartFormError.malformed("the form field \"\(name)\" is not UTF-8 text")
        }
        return text
    }

    /// The rest of the current part as a sequence of chunks, in order, as they arrive.
    func fileChunks() -> FileChunks { FileChunks(reader: self) }

    /// The chunks of a file part.
    struct FileChunks: AsyncSequence {
        typealias Element = Data
        let reader: MultipartFormReader

        struct AsyncIterator: AsyncIteratorProtocol {
            let reader: MultipartFormReader
            mutating func next() async throws -> Data? {
                try await reader.nextBodyChunk().map { Data($0.readableBytesView) }
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader) }
    }

    /// The next body chunk of the current part, or `nil` at its end.
    private func nextBodyChunk() async throws -> ByteBuffer? {
        guard inPart else { return nil }
        while true {
            guard let event = try await nextEvent() else {
                throw MultipartFormError.malformed("the body ends inside a part: the closing boundary is missing")
            }
            switch event {
            case .body(let buffer):
                if buffer.readableBytes > 0 {
                    partBytes += Int64(buffer.readableBytes)
                    buffer.withUnsafeReadableBytes { partDigest.update(bufferPointer: $0) }
                    return buffer
                }
            case .complete:
                inPart = false
                return nil
            case .header(let name, let value):
                // Cannot happen inside a part; keep it for the next one rather than lose it.
                pendingHeaders.append((name, value))
            }
        }
    }

    private func nextEvent() async throws -> Event? {
        while events.isEmpty {
            if finished { return nil }
            guard let chunk = try await body.next() else {
                finished = true
                if !tail.suffix(closing.count + 4).containsSequence(closing) && received > 0 && !inPart {
                    // Every part completed, yet the closing `--boundary--` never came: the body was cut short.
                    throw MultipartFormError.malformed("the body ends without the closing boundary")
                }
                if received == 0 { throw MultipartFormError.malformed("the body is empty") }
                continue
            }
            received += chunk.readableBytes
            if received > limit { throw MultipartFormError.tooLarge(limit: limit) }
            tail = Array((tail + chunk.readableBytesView).suffix(closing.count + 4))
            try feed(chunk)
        }
        return events.removeFirst()
    }

    /// Hands `chunk` to the parser in slices of 4 KiB, checking the header and part limits between slices.
    private func feed(_ chunk: ByteBuffer) throws {
        let slice = 4096
        var offset = 0
        while offset < chunk.readableBytes {
            let length = min(slice, chunk.readableBytes - offset)
            if inHeaders {
                headerBytes += length
                if headerBytes > Self.maxHeaderBytes + slice {
                    throw MultipartFormError.malformed("a part's header lines are longer than \(Self.maxHeaderBytes) bytes")
                }
            }
            do {
                try parser.execute(chunk.getSlice(at: chunk.readerIndex + offset, length: length)!)
            } catch {
                throw MultipartFormError.malformed(
                    "the multipart body is not well formed (a part's header lines or a boundary line are invalid)")
            }
            if headerCount > Self.maxHeaders {
                throw MultipartFormError.malformed("a part has more than \(Self.maxHeaders) header lines")
            }
            if completedParts > Self.maxParts {
                throw MultipartFormError.malformed("the form has more than \(Self.maxParts) parts")
            }
            offset += length
        }
    }

    private static func part(_ headers: [(String, String)]) throws(MultipartFormError) -> Part {
        guard let disposition = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1 else {
            throw MultipartFormError.malformed("a part has no Content-Disposition header")
        }
        let parameters = HeaderParameters(disposition)
        guard parameters.value.lowercased() == "form-data", let name = parameters["name"], !name.isEmpty else {
            throw MultipartFormError.malformed("a part's Content-Disposition is not form-data with a name: \(disposition)")
        }
        let contentType = headers.first(where: { $0.0.lowercased() == "content-type" })?.1
        return Part(name: name, fileName: parameters["filename"], contentType: contentType)
    }

    private static func boundary(contentType: String?) throws(MultipartFormError) -> String {
        guard let contentType else {
            throw MultipartFormError.unsupportedMediaType("none; expected multipart/form-data")
        }
        let parameters = HeaderParameters(contentType)
        guard parameters.value.lowercased() == "multipart/form-data" else {
            throw MultipartFormError.unsupportedMediaType("\(contentType); expected multipart/form-data")
        }
        guard let boundary = parameters["boundary"], !boundary.isEmpty, boundary.count <= 70 else {
            throw MultipartFormError.malformed("the Content-Type has no boundary parameter (1 to 70 characters)")
        }
        return boundary
    }
}

/// A header value and its `;`-separated `key=value` parameters (quoted or not), keys lower-cased.
struct HeaderParameters {
    var value: String
    private var parameters: [String: String] = [:]

    init(_ header: String) {
        var pieces = Self.split(header)
        value = pieces.isEmpty ? "" : pieces.removeFirst().trimmingCharacters(in: .whitespaces)
        for piece in pieces {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var raw = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
                raw = String(raw.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            parameters[key] = raw
        }
    }

    subscript(_ key: String) -> String? { parameters[key] }

    /// Splits at `;` outside quotes.
    private static func split(_ header: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in header {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current)
        return pieces
    }
}

/// Why a multipart form could not be read.
enum MultipartFormError: Error, Sendable, Equatable {
    /// The body is not a well-formed form (answered 400 with the message).
    case malformed(String)
    /// The body is larger than allowed (answered 413).
    case tooLarge(limit: Int)
    /// The request is not `multipart/form-data` (answered 415).
    case unsupportedMediaType(String)
}

extension Array where Element == UInt8 {
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        for start in 0...(count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
