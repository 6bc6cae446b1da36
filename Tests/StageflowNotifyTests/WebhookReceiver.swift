import Foundation
import StageflowHTTP
import StageflowTestSupport

/// A webhook receiver on loopback (Python's `http.server`): records every POST and answers by path —
/// `/ok` 200, `/flaky/N` 503 for the first N requests then 200, `/down` 500, `/gone` 404, `/moved` 301.
/// `GET /received` lists what it got.
final class WebhookReceiver: @unchecked Sendable {
    struct Received: Decodable, Equatable {
        var path: String
        var headers: [String: String]
        var body: String
    }

    let baseURL: String
    private let server: BackgroundProcess

    init() throws {
        server = try BackgroundProcess("/usr/bin/python3", ["-u", "-c", Self.script])
        guard server.output.wait(for: "port ", seconds: 30),
            let line = server.output.text.split(separator: "\n").first(where: { $0.hasPrefix("port ") }),
            let port = Int(line.dropFirst(5))
        else {
            server.stop()
            throw ReceiverError(description: "the receiver did not start: \(server.output.text) \(server.errors.text)")
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    func received() async throws -> [Received] {
        let response = try await HTTPClient().send(HTTPRequest(url: URL(string: baseURL + "/received")!))
        return try JSONDecoder().decode([Received].self, from: response.body)
    }

    func stop() { server.stop(grace: 0) }

    deinit { server.stop(grace: 1) }

    struct ReceiverError: Error, CustomStringConvertible { var description: String }

    static let script = #"""
        import json, signal, threading
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        lock = threading.Lock()
        received = []
        counts = {}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def answer(self, status, body=b"", extra=()):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                for name, value in extra:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            def do_GET(self):
                with lock:
                    data = json.dumps(received).encode()
                self.answer(200, data, [("Content-Type", "application/json")])
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                with lock:
                    received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                    counts[self.path] = counts.get(self.path, 0) + 1
                    seen = counts[self.path]
                parts = self.path.strip("/").split("/")
                if parts[0] == "ok":
                    self.answer(200, b"ok")
                elif parts[0] == "flaky":
                    self.answer(503 if seen <= int(parts[1]) else 200)
                elif parts[0] == "down":
                    self.answer(500)
                elif parts[0] == "gone":
                    self.answer(404)
                elif parts[0] == "moved":
                    self.answer(301, b"", [("Location", "/ok")])
                else:
                    self.answer(400)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("port %d" % server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
