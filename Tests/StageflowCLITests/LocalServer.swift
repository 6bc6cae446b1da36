import Foundation

/// A small HTTP server in a `python3` subprocess on 127.0.0.1, on a port the system picks, serving the fixed
/// routes the HTTP and client tests need (plain bodies, echo, repeated headers, chunked streams, Kubernetes
/// `Status` errors, a watch).
final class LocalServer: @unchecked Sendable {
    let process: Process
    let port: Int

    var base: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts the server (on a unix socket at `socketPath`, else on a TCP port) and waits until it listens.
    static func start(socketPath: String? = nil) throws -> LocalServer {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-test-server-\(UUID().uuidString).py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script.path] + (socketPath.map { [$0] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { try? FileManager.default.removeItem(at: script) }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw FixtureError("the test server did not report its port: \(String(decoding: line, as: UTF8.self))")
        }
        return LocalServer(process: process, port: port)
    }

    /// Kills the server. SIGKILL, because a child spawned from a Swift process may inherit a mask that
    /// blocks SIGTERM.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Runs `body` with a started server and stops it afterwards.
    static func with<T>(_ body: (LocalServer) async throws -> T) async throws -> T {
        let server = try start()
        defer { server.stop() }
        return try await body(server)
    }

    /// A port nothing listens on: bound once and released.
    static func closedPort() throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FixtureError("no free port: \(text)")
        }
        return port
    }

    static let script = #"""
        import json, signal, sys, time
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send_body(self, status, body, content_type="text/plain", extra=()):
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def start_chunked(self, content_type="application/json"):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()

            def chunk(self, text):
                data = text.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()

            def end_chunked(self):
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            def status(self, code, reason, message):
                body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": message, "reason": reason, "code": code}
                self.send_body(code, json.dumps(body), "application/json")

            def read_body(self):
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def do_GET(self):
                path = self.path
                if path == "/hello":
                    self.send_body(200, "hello world", extra=[("X-Repeat", "one"), ("x-repeat", "two")])
                elif path == "/headers":
                    self.send_body(200, json.dumps(dict(self.headers)), "application/json")
                elif path == "/stream":
                    self.start_chunked("text/plain")
                    for text in ["first line\n", "second ", "line\r\n", "third line"]:
                        self.chunk(text)
                        time.sleep(0.05)
                    self.end_chunked()
                elif path == "/slow-stream":
                    self.start_chunked("text/plain")
                    self.chunk("ready\n")
                    time.sleep(60)
                elif path == "/plain-error":
                    self.send_body(500, "boom")
                elif path == "/redirect":
                    self.send_body(302, "", extra=[("Location", "/hello")])
                elif "/namespaces/boom/" in path:
                    self.send_body(502, "upstream exploded")
                elif path.startswith("/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs/missing"):
                    self.status(404, "NotFound", 'scanjobs.stageflow.dev "missing" not found')
                elif path.startswith("/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs?watch=true"):
                    self.start_chunked()
                    for rv, kind in [(11, "ADDED"), (12, "MODIFIED")]:
                        event = {"type": kind, "object": {"apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob",
                                 "metadata": {"name": "nightly", "namespace": "default", "resourceVersion": str(rv)}}}
                        self.chunk(json.dumps(event) + "\n")
                    self.chunk(json.dumps({"type": "ERROR", "object": {"kind": "Status", "code": 410,
                               "reason": "Expired", "message": "too old resource version: 1 (5)"}}) + "\n")
                    self.end_chunked()
                elif path.startswith("/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs"):
                    body = {"apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJobList",
                            "metadata": {"resourceVersion": "10"}, "items": [], "query": path}
                    self.send_body(200, json.dumps(body), "application/json")
                else:
                    self.send_body(404, "no route " + path)

            def do_POST(self):
                body = self.read_body()
                if self.path.startswith("/apis/"):
                    self.status(422, "Invalid", 'ScanJob.stageflow.dev "x" is invalid: spec.target: Required value')
                    return
                reply = {"method": "POST", "body": body.decode(), "contentType": self.headers.get("Content-Type")}
                self.send_body(200, json.dumps(reply), "application/json")

            def do_PATCH(self):
                body = self.read_body()
                reply = {"method": "PATCH", "path": self.path, "body": body.decode(),
                         "contentType": self.headers.get("Content-Type")}
                self.send_body(200, json.dumps(reply), "application/json")

        if len(sys.argv) > 1:
            import socketserver
            class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
                daemon_threads = True
            class UnixHandler(Handler):
                def address_string(self):
                    return "unix"
            server = UnixServer(sys.argv[1], UnixHandler)
            print(0, flush=True)
        else:
            server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            server.daemon_threads = True
            print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}

/// A test fixture that could not be set up.
struct FixtureError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
