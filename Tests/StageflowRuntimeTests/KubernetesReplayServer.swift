import Foundation

/// A loopback HTTP server (a `python3` child) that answers as a Kubernetes API server did, from a scenario file
/// of exchanges in `Fixtures/kubernetes/`: each request is matched, in order, to the first unused exchange with
/// its method and path (and, when the exchange names one, a query fragment), and gets that exchange's status and
/// body — or, for a watch, its events as newline-delimited JSON. Every request is logged with its headers and
/// body, so tests can check what the runtime sent. A request no exchange matches gets 599.
final class KubernetesReplayServer: @unchecked Sendable {
    let process: Process
    let port: Int
    let log: URL

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The scenario file `Fixtures/kubernetes/<name>.json`.
    static func scenario(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kubernetes/\(name).json")
    }

    init(scenario name: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-kube-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("replay.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        log = directory.appendingPathComponent("requests.jsonl")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script.path, Self.scenario(name).path, log.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw ReplayError("the replay server did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
    }

    /// The requests received so far: method, path with query, headers (lower-case names) and the decoded JSON body.
    var requests: [(method: String, path: String, headers: [String: String], body: [String: Any]?)] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let entry = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
            let body = (entry["body"] as? String).flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
            return (entry["method"] as? String ?? "", entry["path"] as? String ?? "", entry["headers"] as? [String: String] ?? [:], body)
        }
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static let script = #"""
        import json, sys, threading
        from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
        scenario = json.load(open(sys.argv[1]))
        log_path = sys.argv[2]
        used = [False] * len(scenario["exchanges"])
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args):
                pass
            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else None
                with lock:
                    with open(log_path, "a") as log:
                        log.write(json.dumps({"method": self.command, "path": self.path, "body": body,
                                              "headers": {k.lower(): v for k, v in self.headers.items()}}) + "\n")
                    path, _, query = self.path.partition("?")
                    match = None
                    for index, exchange in enumerate(scenario["exchanges"]):
                        if used[index] or exchange["method"] != self.command or exchange["path"] != path:
                            continue
                        if exchange.get("query") and exchange["query"] not in query:
                            continue
                        used[index] = True
                        match = exchange
                        break
                if match is None:
                    payload = json.dumps({"kind": "Status", "status": "Failure", "code": 599,
                                          "message": "no recorded answer for %s %s" % (self.command, self.path)}).encode()
                    self.send_response(599)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if "events" in match:
                    self.send_response(match.get("status", 200))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for event in match["events"]:
                        self.wfile.write((json.dumps(event) + "\n").encode())
                        self.wfile.flush()
                    self.close_connection = True
                    return
                if "text" in match:
                    payload = match["text"].encode()
                    kind = "text/plain"
                else:
                    payload = json.dumps(match.get("body", {})).encode()
                    kind = "application/json"
                self.send_response(match["status"])
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = handle_any

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}

struct ReplayError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
