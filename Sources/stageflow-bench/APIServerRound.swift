import Foundation
import StageflowThrowaway

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One configuration of `stageflow-bench apiservers` measured once: servers started on a fresh database, a watch on
/// the first, `writes` creates spread over the servers, everything stopped again.
struct APIServerRound: Sendable {
    var writesPerSecond: Double
    var writeLatency: LatencySummary
    var watchLatency: LatencySummary

    static let token = "bench-apiservers-admin-token-0123456789"
    static let jobs = "/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs"

    static func measure(executable: String, databaseURL: String, servers count: Int, writes: Int, concurrency: Int) async throws
        -> APIServerRound
    {
        let tokens = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-tokens-\(UUID().uuidString).yaml")
        try "tokens:\n  - {token: \(token), user: bench, namespaces: [\"*\"], role: admin}\n".write(to: tokens, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tokens) }
        var processes: [BackgroundProcess] = []
        defer { processes.forEach { $0.stop(grace: 5) } }
        var urls: [String] = []
        for _ in 0..<count {
            let process = try BackgroundProcess(
                executable,
                ["apiserver", "--database-url", databaseURL, "--listen", "127.0.0.1:0", "--auth-token-file", tokens.path,
                 "--job-rate-limit", "0", "--log-level", "error"])
            processes.append(process)
            guard process.output.wait(for: "serving at ", seconds: 60),
                let line = process.output.text.split(separator: "\n").first(where: { $0.contains("serving at ") }),
                let range = line.range(of: "http")
            else { throw BenchmarkError("stageflow apiserver did not start: \(process.errors.text)") }
            urls.append(String(line[range.lowerBound...].prefix { !$0.isWhitespace }))
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = concurrency
        let session = URLSession(configuration: configuration)
        let scanner = #"{"apiVersion":"stageflow.dev/v1alpha1","kind":"Scanner","metadata":{"name":"security-headers"},"spec":{"id":"security-headers","version":"1.0.0","entry":{"builtin":"security-headers"}}}"#
        _ = try await send(session, "POST", urls[0] + "/apis/stageflow.dev/v1alpha1/scanners", body: Data(scanner.utf8))
        let (_, listed) = try await send(session, "GET", urls[0] + jobs, body: nil)
        let start = ((try JSONSerialization.jsonObject(with: listed) as? [String: Any])?["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? "0"
        let watch = try TimedWatch(url: urls[0] + jobs + "?watch=true&resourceVersion=\(start)&timeoutSeconds=3600", token: token)
        defer { watch.stop() }

        let clock = ContinuousClock()
        let servers = urls
        let began = clock.now
        let acknowledged = try await withThrowingTaskGroup(of: (String, ContinuousClock.Instant, ContinuousClock.Instant).self) { group in
            var results: [String: (sent: ContinuousClock.Instant, acknowledged: ContinuousClock.Instant)] = [:]
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let name = "bench-\(index)"
                    let body = #"{"apiVersion":"stageflow.dev/v1alpha1","kind":"ScanJob","metadata":{"name":"\#(name)"},"spec":{"suspend":true,"target":{"urls":["https://93.184.215.14/"]},"scanners":[{"name":"security-headers"}]}}"#
                    let sent = clock.now
                    let (status, _) = try await send(session, "POST", servers[index % servers.count] + jobs, body: Data(body.utf8))
                    guard status == 201 else { throw BenchmarkError("create \(name): HTTP \(status)") }
                    return (name, sent, clock.now)
                }
            }
            for _ in 0..<min(concurrency, writes) { add() }
            while let (name, sent, done) = try await group.next() {
                results[name] = (sent, done)
                if next < writes { add() }
            }
            return results
        }
        let elapsed = clock.now - began
        let arrivals = await watch.arrivals(count: writes, within: .seconds(120))
        var watchSamples: [Int64] = []
        for (name, write) in acknowledged {
            guard let seen = arrivals[name] else { continue }
            watchSamples.append(max(0, (seen - write.acknowledged).nanoseconds))
        }
        return APIServerRound(
            writesPerSecond: Double(writes) / (Double(elapsed.nanoseconds) / 1e9),
            writeLatency: LatencySummary(nanoseconds: acknowledged.values.map { ($0.acknowledged - $0.sent).nanoseconds }),
            watchLatency: LatencySummary(nanoseconds: watchSamples))
    }

    static func send(_ session: URLSession, _ method: String, _ url: String, body: Data?) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

/// A watch through `curl -N` whose event lines are timestamped as they arrive in this process.
final class TimedWatch: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var seen: [String: ContinuousClock.Instant] = [:]

    init(url: String, token: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sN", "-H", "Authorization: Bearer \(token)", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard !chunk.isEmpty else { return }
            self?.take(chunk, at: ContinuousClock.now)
        }
        try process.run()
    }

    private func take(_ chunk: Data, at instant: ContinuousClock.Instant) {
        lock.withLock {
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: 10) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                guard let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let name = ((event["object"] as? [String: Any])?["metadata"] as? [String: Any])?["name"] as? String
                else { continue }
                if seen[name] == nil { seen[name] = instant }
            }
        }
    }

    /// When each object's first event arrived, once `count` have (or `within` passed).
    func arrivals(count: Int, within limit: Duration) async -> [String: ContinuousClock.Instant] {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, lock.withLock({ seen.count }) < count {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return lock.withLock { seen }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
