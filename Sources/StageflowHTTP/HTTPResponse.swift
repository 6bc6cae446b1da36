import Foundation

/// A complete HTTP response: status code, header fields and the whole body.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code of the final response (after redirects, when they are followed).
    public var status: Int
    /// The header fields of the final response.
    public var headers: HTTPHeaders
    /// The body, decoded from its transfer encoding (and content encoding, unless the client turned that off).
    public var body: Data

    /// A response.
    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
