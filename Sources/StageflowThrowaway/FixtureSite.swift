import Foundation

/// A static site served for real on loopback by Python's `http.server` (which, like most static servers,
/// answers 301 for a directory URL without its trailing slash).
public final class FixtureSite: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    private let server: BackgroundProcess

    /// Serves `directory` on a free loopback port, adding `headers` to every response (Debian's `linkchecker`, for
    /// one, goes past 10 requests a second only to a server that answers with a `LinkChecker` header).
    public init(directory: String, headers: [String: String] = [:]) throws {
        var arguments = ["-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, "0"]
        if !headers.isEmpty {
            // http.server's own main, with a handler that adds the headers; it prints the same "port N" line.
            let lines = headers.sorted { $0.key < $1.key }.map { "        self.send_header(\(Self.pythonString($0.key)), \(Self.pythonString($0.value)))" }
            let script = """
                import functools, http.server, sys
                class Handler(http.server.SimpleHTTPRequestHandler):
                    def end_headers(self):
                \(lines.joined(separator: "\n"))
                        super().end_headers()
                http.server.test(HandlerClass=functools.partial(Handler, directory=sys.argv[1]), ServerClass=http.server.ThreadingHTTPServer, port=0, bind="127.0.0.1")
                """
            arguments = ["-u", "-c", script, directory]
        }
        server = try BackgroundProcess("/usr/bin/python3", arguments)
        guard server.output.wait(for: "port ", seconds: 30),
            let line = server.output.text.split(separator: "\n").first(where: { $0.contains(" port ") }),
            let portText = line.split(separator: " ").drop(while: { $0 != "port" }).dropFirst().first,
            let port = Int(portText)
        else {
            server.stop()
            throw E2EError("python3 -m http.server did not start: \(server.output.text) \(server.errors.text)")
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    /// Stops the server.
    public func stop() { server.stop(grace: 0) }

    /// A Python string literal of `text`.
    static func pythonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    deinit { server.stop(grace: 1) }
}

/// Processes whose command line mentions `needle` (a job uid, say), read from `/proc`.
public func processes(mentioning needle: String) -> [pid_t] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { entry in
        guard let pid = pid_t(entry), pid != getpid(),
            let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
            String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(needle)
        else { return nil }
        // Zombies have finished; only count processes that still run.
        if let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z"
        {
            return nil
        }
        return pid
    }
}
