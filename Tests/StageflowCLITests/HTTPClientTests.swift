import Foundation
import StageflowHTTP
import Testing

@Suite("HTTPClient against a local server", .serialized)
struct HTTPClientTests {
    let client = HTTPClient(configuration: .init(timeout: .seconds(20), useEnvironmentProxy: false))

    @Test func fetchesABodyWithRepeatedHeaders() async throws {
        try await LocalServer.with { server in
            let response = try await client.send(HTTPRequest(url: URL(string: "\(server.base)/hello")!))
            #expect(response.status == 200)
            #expect(response.text == "hello world")
            #expect(response.headers["content-type"] == "text/plain")
            #expect(response.headers.values(for: "X-REPEAT") == ["one", "two"])
        }
    }

    @Test func sendsMethodBodyAndHeaders() async throws {
        try await LocalServer.with { server in
            let request = HTTPRequest(
                method: "PATCH", url: URL(string: "\(server.base)/thing")!,
                headers: ["Content-Type": "application/merge-patch+json"], body: Data(#"{"a":1}"#.utf8))
            let response = try await client.send(request)
            let reply = try JSONSerialization.jsonObject(with: response.body) as? [String: String]
            #expect(reply?["method"] == "PATCH")
            #expect(reply?["body"] == #"{"a":1}"#)
            #expect(reply?["contentType"] == "application/merge-patch+json")
        }
    }

    @Test func postWithoutContentTypeSendsNone() async throws {
        try await LocalServer.with { server in
            let response = try await client.send(
                HTTPRequest(method: "POST", url: URL(string: "\(server.base)/echo")!, body: Data("x".utf8)))
            let reply = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            #expect(reply?["contentType"] is NSNull)
            #expect(reply?["body"] as? String == "x")
        }
    }

    @Test func sendsUserAgentAndCustomHeaders() async throws {
        try await LocalServer.with { server in
            let response = try await client.send(
                HTTPRequest(url: URL(string: "\(server.base)/headers")!, headers: ["Authorization": "Bearer t"]))
            let headers = try JSONSerialization.jsonObject(with: response.body) as? [String: String]
            #expect(headers?["Authorization"] == "Bearer t")
            #expect(headers?["User-Agent"] == "stageflow")
        }
    }

    @Test func doesNotFollowRedirectsByDefault() async throws {
        try await LocalServer.with { server in
            let url = URL(string: "\(server.base)/redirect")!
            let response = try await client.send(HTTPRequest(url: url))
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/hello")
            var following = client
            following.configuration.followRedirects = true
            let followed = try await following.send(HTTPRequest(url: url))
            #expect(followed.status == 200)
            #expect(followed.text == "hello world")
        }
    }

    @Test func returnsErrorStatusesAsResponses() async throws {
        try await LocalServer.with { server in
            let response = try await client.send(HTTPRequest(url: URL(string: "\(server.base)/plain-error")!))
            #expect(response.status == 500)
            #expect(response.text == "boom")
        }
    }

    @Test func connectionRefusedNamesTheURLAndCurlsReason() async throws {
        let port = try LocalServer.closedPort()
        let url = "http://127.0.0.1:\(port)/x"
        do {
            _ = try await client.send(HTTPRequest(url: URL(string: url)!))
            Issue.record("expected a connection failure")
        } catch let error as HTTPError {
            #expect(error.kind == .couldNotConnect)
            #expect(error.description.contains("GET \(url)"))
            #expect(error.message.contains("Failed to connect"))
        }
    }

    @Test func streamsLinesAfterTheHead() async throws {
        try await LocalServer.with { server in
            let response = try await client.stream(HTTPRequest(url: URL(string: "\(server.base)/stream")!))
            #expect(response.status == 200)
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            var lines: [String] = []
            for try await line in response.lines { lines.append(line) }
            #expect(lines == ["first line", "second line", "third line"])
        }
    }

    @Test func cancellingTheTaskAbortsAStream() async throws {
        try await LocalServer.with { server in
            let client = self.client
            let url = URL(string: "\(server.base)/slow-stream")!
            let reader = Task { () -> [String] in
                let response = try await client.stream(HTTPRequest(url: url))
                var lines: [String] = []
                do {
                    for try await line in response.lines { lines.append(line) }
                } catch is CancellationError {
                    return lines
                }
                return lines
            }
            try await Task.sleep(for: .milliseconds(500))
            reader.cancel()
            let lines = try await withThrowingTaskGroup(of: [String]?.self) { group in
                group.addTask { try await reader.value }
                group.addTask {
                    try await Task.sleep(for: .seconds(15))
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
            #expect(lines == ["ready"], "the stream should end soon after cancellation with the lines read so far")
        }
    }

    @Test func talksOverAUnixSocket() async throws {
        let socket = FileManager.default.temporaryDirectory.appendingPathComponent("sf-\(UUID().uuidString.prefix(8)).sock").path
        let server = try LocalServer.start(socketPath: socket)
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: socket)
        }
        var configuration = client.configuration
        configuration.unixSocketPath = socket
        let response = try await HTTPClient(configuration: configuration).send(HTTPRequest(url: URL(string: "http://localhost/hello")!))
        #expect(response.status == 200)
        #expect(response.text == "hello world")
    }

    @Test func headerLookupIgnoresCase() {
        var headers: HTTPHeaders = ["Content-Type": "a", "X-Y": "1"]
        headers.add("x-y", "2")
        #expect(headers["content-TYPE"] == "a")
        #expect(headers.values(for: "X-y") == ["1", "2"])
        headers["X-Y"] = "3"
        #expect(headers.values(for: "x-y") == ["3"])
        headers["x-y"] = nil
        #expect(!headers.contains("X-Y"))
    }
}
