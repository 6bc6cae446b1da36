import Foundation

/// A real HTTP server on loopback for the duration of a test: Python's `http.server` over a directory, or a
/// small scripted server whose routes answer with fixed statuses, headers and bodies (and log every request).
final class LocalServer: @unchecked Sendable {
    /// How one route answers one method.
    struct Response: Encodable {
        var status: Int = 200
        var headers: [[String]] = [["Content-Type", "text/html; charset=utf-8"]]
        var body: String = ""
        /// Seconds to wait before answering (to provoke timeouts).
        var delay: Double = 0
    }

    let port: Int
    private let process: Process
    private let logFile: URL?
    private let tls: Bool
    /// The scripted server's scratch directory, removed on stop.
    private var scratch: URL? { logFile?.deletingLastPathComponent() }

    /// `http://127.0.0.1:<port>` (`https://` for a TLS server).
    var base: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    private init(process: Process, port: Int, logFile: URL?, tls: Bool) {
        self.process = process
        self.port = port
        self.logFile = logFile
        self.tls = tls
    }

    deinit { stop() }

    /// Stops the server. SIGKILL, because processes started from Swift's worker threads inherit a signal
    /// mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// `python3 -m http.server --bind 127.0.0.1 <free port> --directory <directory>`.
    static func serving(directory: URL) async throws -> LocalServer {
        try await start(
            arguments: ["-u", "-m", "http.server", "--bind", "127.0.0.1", "0", "--directory", directory.path],
            logFile: nil, tls: false
        ) { line in
            guard line.contains("port ") else { return nil }
            return line.components(separatedBy: "port ").last?.split(separator: " ").first.flatMap { Int($0) }
        }
    }

    /// A scripted server: `routes[path][method]` (or `"*"` for any method) answers, `{{base}}` in a body
    /// standing for the server's own base URL; other paths get 404. With
    /// `tls`, it speaks HTTPS with a fresh self-signed certificate (which no client verifies).
    static func scripted(_ routes: [String: [String: Response]], tls: Bool = false) async throws -> LocalServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-scanner-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let routesFile = directory.appendingPathComponent("routes.json")
        let logFile = directory.appendingPathComponent("requests.log")
        try JSONEncoder().encode(routes).write(to: routesFile)
        let script = directory.appendingPathComponent("server.py")
        try scriptSource.write(to: script, atomically: true, encoding: .utf8)
        var arguments = ["-u", script.path, routesFile.path, logFile.path]
        if tls {
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-keyout", directory.appendingPathComponent("key.pem").path,
                "-out", directory.appendingPathComponent("cert.pem").path,
            ]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            arguments.append(directory.path)
        }
        return try await start(arguments: arguments, logFile: logFile, tls: tls) { line in
            line.hasPrefix("PORT ") ? Int(line.dropFirst(5)) : nil
        }
    }

    /// The requests the scripted server saw, as `METHOD /path` lines.
    func requests() -> [String] {
        guard let logFile, let text = try? String(contentsOf: logFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    private static func start(
        arguments: [String], logFile: URL?, tls: Bool, port parse: @escaping @Sendable (String) -> Int?
    ) async throws -> LocalServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = pipe.fileHandleForReading
        let port: Int? = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var buffer = ""
                while true {
                    let data = handle.availableData
                    if data.isEmpty {
                        continuation.resume(returning: nil)
                        return
                    }
                    buffer += String(decoding: data, as: UTF8.self)
                    for line in buffer.split(separator: "\n") {
                        if let port = parse(String(line)) {
                            continuation.resume(returning: port)
                            return
                        }
                    }
                }
            }
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: "the test server did not start"])
        }
        return LocalServer(process: process, port: port, logFile: logFile, tls: tls)
    }

    private static let scriptSource = #"""
        import json, sys, time
        from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

        routes = json.load(open(sys.argv[1]))
        log = open(sys.argv[2], "a", buffering=1)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def answer(self):
                log.write(f"{self.command} {self.path}\n")
                route = routes.get(self.path, {})
                response = route.get(self.command) or route.get("*")
                if response is None:
                    response = {"status": 404, "headers": [["Content-Type", "text/plain"]], "body": "not found", "delay": 0}
                time.sleep(response.get("delay", 0))
                body = response.get("body", "").replace("{{base}}", BASE).encode()
                self.send_response(response.get("status", 200))
                for name, value in response.get("headers", []):
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            do_GET = answer
            do_HEAD = answer
            do_POST = answer

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        BASE = ("https" if len(sys.argv) > 3 else "http") + f"://127.0.0.1:{server.server_address[1]}"
        if len(sys.argv) > 3:
            import os, ssl
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(os.path.join(sys.argv[3], "cert.pem"), os.path.join(sys.argv[3], "key.pem"))
            server.socket = context.wrap_socket(server.socket, server_side=True)
        print(f"PORT {server.server_address[1]}", flush=True)
        server.serve_forever()
        """#
}
