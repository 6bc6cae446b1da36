import Foundation
import Hummingbird

/// One Server-Sent Event: an optional id (the store revision it brings the client up to, which the browser sends
/// back as `Last-Event-ID` when it reconnects), an event name and a JSON payload.
struct SSEEvent: Sendable, Hashable {
    /// `id:`; the `resourceVersion` the client has seen everything up to.
    var id: String?
    /// `event:`; `snapshot`, `added`, `modified` or `deleted`.
    var name: String?
    /// `data:`; one line of JSON.
    var data: String

    /// The event in the wire format of the HTML standard; newlines in `data` become several `data:` lines.
    var encoded: String {
        var text = ""
        if let id { text += "id: \(id)\n" }
        if let name { text += "event: \(name)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        return text + "\n"
    }

    /// The bytes to write.
    var buffer: ByteBuffer { ByteBuffer(string: encoded) }

    /// A comment line that keeps proxies and the browser from timing the connection out.
    static let keepalive = ByteBuffer(string: ": keepalive\n\n")

    /// `retry:` asks the browser to reconnect after this many milliseconds when the stream ends.
    static func retry(milliseconds: Int) -> ByteBuffer { ByteBuffer(string: "retry: \(milliseconds)\n\n") }
}
