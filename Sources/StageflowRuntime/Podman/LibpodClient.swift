import Foundation
import StageflowHTTP

/// The few Libpod REST calls the runtime makes, over Podman's unix socket.
struct LibpodClient: Sendable {
    let socketPath: String
    let http: HTTPClient

    init(socketPath: String) {
        self.socketPath = socketPath
        var configuration = HTTPClient.Configuration()
        configuration.unixSocketPath = socketPath
        configuration.timeout = .seconds(120)
        configuration.connectTimeout = .seconds(5)
        self.http = HTTPClient(configuration: configuration)
    }

    struct Container: Sendable {
        var name: String
        var state: String
        var labels: [String: String]
    }

    struct ContainerDetail: Sendable {
        var exitCode: Int32
        var oomKilled: Bool
        /// Seconds between start and finish, when both are known.
        var runtimeSeconds: Double?
    }

    private func url(_ path: String, query: [(String, String)] = []) -> URL {
        var components = URLComponents()
        components.scheme = "http"
        components.host = "d"
        components.path = "/v4.0.0/libpod" + path
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        // Filters are JSON: percent-encode what URLComponents leaves alone.
        components.percentEncodedQuery = components.percentEncodedQuery?
            .replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    private func call(_ method: String, _ path: String, query: [(String, String)] = [], body: [String: Any]? = nil)
        async throws -> HTTPResponse
    {
        var request = HTTPRequest(method: method, url: url(path, query: query))
        if let body {
            request.body = try JSONSerialization.data(withJSONObject: body)
            request.headers.add("Content-Type", "application/json")
        }
        do {
            return try await http.send(request)
        } catch {
            throw RuntimeError("cannot reach Podman at \(socketPath): \(error)")
        }
    }

    private func check(_ response: HTTPResponse, _ what: String, allow: Set<Int> = []) throws {
        guard response.isSuccess || allow.contains(response.status) else {
            let message =
                (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["message"] as? String
                ?? String(decoding: response.body.prefix(500), as: UTF8.self)
            throw RuntimeError("Podman \(what): HTTP \(response.status): \(message)")
        }
    }

    func podExists(_ name: String) async throws -> Bool {
        let response = try await call("GET", "/pods/\(name)/exists")
        if response.status == 404 { return false }
        try check(response, "pod exists \(name)")
        return true
    }

    func createPod(_ body: [String: Any], name: String) async throws {
        let response = try await call("POST", "/pods/create", body: body)
        // 409: created concurrently (or by the previous life of this controller) — fine.
        try check(response, "create pod \(name)", allow: [409])
    }

    func createContainer(_ body: [String: Any], name: String) async throws {
        let response = try await call("POST", "/containers/create", body: body)
        try check(response, "create container \(name)", allow: [409])
    }

    func start(_ name: String) async throws {
        let response = try await call("POST", "/containers/\(name)/start")
        try check(response, "start \(name)", allow: [304])
    }

    func kill(_ name: String) async throws {
        let response = try await call("POST", "/containers/\(name)/kill", query: [("signal", "KILL")])
        try check(response, "kill \(name)", allow: [404, 409])
    }

    func containers(label: String) async throws -> [Container] {
        let filters = "{\"label\":[\"\(label)\"]}"
        let response = try await call("GET", "/containers/json", query: [("all", "true"), ("filters", filters)])
        try check(response, "list containers")
        let list = (try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]]) ?? []
        return list.map { item in
            let names = item["Names"] as? [String] ?? []
            return Container(
                name: names.first ?? "", state: (item["State"] as? String ?? "").lowercased(),
                labels: item["Labels"] as? [String: String] ?? [:])
        }
    }

    func inspect(_ name: String) async throws -> ContainerDetail {
        let response = try await call("GET", "/containers/\(name)/json")
        try check(response, "inspect \(name)")
        let object = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
        let state = object["State"] as? [String: Any] ?? [:]
        let code = (state["ExitCode"] as? NSNumber)?.int32Value ?? -1
        let started = (state["StartedAt"] as? String).flatMap(Self.parseTime)
        let finished = (state["FinishedAt"] as? String).flatMap(Self.parseTime)
        let runtime = started.flatMap { start in finished.map { $0.timeIntervalSince(start) } }
        return ContainerDetail(exitCode: code, oomKilled: state["OOMKilled"] as? Bool ?? false, runtimeSeconds: runtime)
    }

    /// Parses Podman's RFC 3339 times with nanoseconds (`2026-11-22T17:02:44.006572325Z`).
    static func parseTime(_ text: String) -> Date? {
        guard text.count >= 19, let whole = try? Date(String(text.prefix(19)) + "Z", strategy: .iso8601) else { return nil }
        guard let dot = text.firstIndex(of: "."), let end = text.firstIndex(where: { $0 == "Z" || $0 == "+" }), dot < end else {
            return whole
        }
        let fraction = Double("0" + text[dot..<end]) ?? 0
        return whole.addingTimeInterval(fraction)
    }

    func logs(_ name: String) async throws -> String {
        let response = try await call(
            "GET", "/containers/\(name)/logs", query: [("stdout", "true"), ("stderr", "true"), ("tail", "100")])
        try check(response, "logs \(name)", allow: [404])
        return Self.demultiplex(response.body)
    }

    /// Container logs without a terminal come framed: 1 byte stream, 3 bytes padding, 4 bytes big-endian length.
    static func demultiplex(_ data: Data) -> String {
        var output = Data()
        var index = data.startIndex
        while index + 8 <= data.endIndex {
            let header = data[index..<index + 8]
            let stream = header[header.startIndex]
            guard stream <= 2, header[header.startIndex + 1] == 0 else {
                return String(decoding: data, as: UTF8.self)
            }
            let length = header.suffix(4).reduce(0) { ($0 << 8) | Int($1) }
            let start = index + 8
            let end = min(start + length, data.endIndex)
            output.append(data[start..<end])
            index = end
        }
        return String(decoding: output, as: UTF8.self)
    }

    func removePod(_ name: String) async throws {
        let response = try await call("DELETE", "/pods/\(name)", query: [("force", "true")])
        try check(response, "remove pod \(name)", allow: [404])
    }

    func removeContainer(_ name: String) async throws {
        let response = try await call("DELETE", "/containers/\(name)", query: [("force", "true"), ("v", "true")])
        try check(response, "remove container \(name)", allow: [404])
    }

    /// The values of `label` on the pods that carry it and every `label=value` of `alsoMatching`.
    func podLabels(_ label: String, alsoMatching: [String] = []) async throws -> [String] {
        let labels = ([label] + alsoMatching).map { "\"\($0)\"" }.joined(separator: ",")
        let filters = "{\"label\":[\(labels)]}"
        let response = try await call("GET", "/pods/json", query: [("filters", filters)])
        try check(response, "list pods")
        let list = (try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]]) ?? []
        return list.compactMap { ($0["Labels"] as? [String: String])?[label] }
    }
}
