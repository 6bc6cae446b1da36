import Foundation
import StageflowTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Tiny requests that used to cost the server dearly — a YAML alias bomb, a job of 10,000 URLs, hundreds of
/// clients that never finish their request — sent at once to `stageflow up`: each gets a 4xx naming the limit,
/// the server keeps answering `/livez` and other clients' reads meanwhile, stays small, and closes the slow
/// connections.
@Suite("Hostile requests against stageflow up", .serialized)
struct HostileRequestsEndToEndTests {
    static func aliasBomb() -> String {
        var yaml = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
        for level in 1..<9 {
            let previous = level == 1 ? "*a" : "*l\(level - 1)"
            yaml += "l\(level): &l\(level) [\(Array(repeating: previous, count: 10).joined(separator: ","))]\n"
        }
        return yaml + "urls: *l8\n"
    }

    /// A TCP connection that sends half a request head and then nothing.
    static func slowClient(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            return -1
        }
        let partial = Array("GET /apis/stageflow.dev/v1alpha1/scanjobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)
        _ = partial.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        return descriptor
    }

    /// Whether the server has closed the connection (a read sees the end).
    static func isClosed(_ descriptor: Int32) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) > 0 else { return false }
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_DONTWAIT)) <= 0
    }

    static func residentMiB(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }

    @Test("an alias bomb, a 10,000-URL job and 200 slow clients: 4xx each, /livez and reads keep answering, RSS stays small")
    func hostileRequests() async throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let port = try #require(URL(string: server.url)?.port)
        let token = try #require(server.token)
        let bombFile = try temporaryFile("bomb.yaml", Self.aliasBomb())
        let urls = (0..<10_000).map { "\"https://host-\($0).example.com/\"" }.joined(separator: ",")
        let manyFile = try temporaryFile("many.json", "{\"urls\":[\(urls)],\"scanners\":[\"link-checker\"]}")

        let slow = (0..<200).map { _ in Self.slowClient(port: port) }.filter { $0 >= 0 }
        defer { for descriptor in slow { close(descriptor) } }
        #expect(slow.count == 200)

        func post(_ path: String, file: String, type: String, token: String?) -> BackgroundProcess? {
            var arguments = ["-sS", "-o", "-", "-w", "\n%{http_code}", "-X", "POST", "-H", "Content-Type: \(type)"]
            if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
            return try? BackgroundProcess("/usr/bin/curl", arguments + ["--data-binary", "@\(file)", server.url + path])
        }
        let hostile = [
            post("/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs", file: bombFile, type: "application/yaml", token: token),
            post("/api/v1/jobs/urls", file: bombFile, type: "application/yaml", token: token),
            post("/api/v1/jobs/urls", file: bombFile, type: "application/yaml", token: nil),
            post("/api/v1/jobs/urls", file: manyFile, type: "application/json", token: token),
        ].compactMap { $0 }
        #expect(hostile.count == 4)

        // Meanwhile the server answers its probe and other clients.
        var answered = 0
        for _ in 0..<10 {
            let live = try run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/livez"])
            let read = try run(
                "/usr/bin/curl",
                ["-sS", "-o", "/dev/null", "-w", "%{http_code}"] + server.curlAuthorization + ["\(server.url)/apis/stageflow.dev/v1alpha1/scanjobs"])
            if live.stdout == "200" && read.stdout == "200" { answered += 1 }
        }
        #expect(answered == 10, "only \(answered) of 10 rounds of /livez and a list were answered")

        let expectations = [("400", "aliases"), ("400", "aliases"), ("401", "Unauthorized"), ("422", "urls")]
        for (process, (code, words)) in zip(hostile, expectations) {
            #expect(waitUntil(seconds: 120) { !process.process.isRunning })
            let output = process.output.text
            #expect(output.hasSuffix(code), "expected \(code): \(output.suffix(400))")
            #expect(output.contains(words), "expected the answer to name \(words): \(output.suffix(400))")
        }
        let resident = Self.residentMiB(server.server.process.processIdentifier)
        print("stageflow up resident memory during the hostile requests: \(Int(resident)) MiB")
        #expect(resident > 0 && resident < 300, "RSS \(resident) MiB")

        // Slow clients are closed once they have taken too long over their request head.
        let closed = waitUntil(seconds: 90) { slow.allSatisfy(Self.isClosed) }
        #expect(closed, "\(slow.filter { !Self.isClosed($0) }.count) slow connections are still open")
        let live = try run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(server.url)/livez"])
        #expect(live.stdout == "200")
    }
}
