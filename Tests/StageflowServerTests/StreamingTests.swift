import Foundation
import HummingbirdTesting
import StageflowAPI
import Testing

@Suite("Streaming watch over a real connection")
struct StreamingTests {
    /// The value of `apiserver_registered_watchers` for scanjobs, from `/metrics`.
    func registeredWatchers(_ server: TestServer) async throws -> Double {
        let text = try await server.client.send(.get, "/metrics").text
        for line in text.split(separator: "\n") where line.hasPrefix("apiserver_registered_watchers{") && line.contains("scanjobs") {
            return Double(line.split(separator: " ").last ?? "") ?? -1
        }
        return 0
    }

    @Test("events are flushed one by one, chunked, and a client hanging up ends the watch")
    func streamAndDisconnect() async throws {
        try await withServer(.live) { server in
            let port = try #require(server.client.port)
            try await server.client.createScanJob(scanJob("first"))
            let connection = try RawConnection(port: port)
            connection.send(
                "GET \(Paths.scanJobs())?watch=true HTTP/1.1\r\nHost: localhost\r\nUser-Agent: raw-test\r\n\r\n")
            let head = await connection.read(until: "\"first\"")
            #expect(head.lowercased().contains("transfer-encoding: chunked"))
            #expect(head.contains("\"ADDED\""))

            try await server.client.createScanJob(scanJob("second"))
            let more = await connection.read(until: "\"second\"")
            #expect(more.contains("\"second\""))
            #expect(try await registeredWatchers(server) == 1)

            connection.hangUp()
            var watchers = try await registeredWatchers(server)
            for _ in 0..<50 where watchers != 0 {
                try await Task.sleep(for: .milliseconds(100))
                watchers = try await registeredWatchers(server)
            }
            #expect(watchers == 0)
        }
    }

    // The watch asks for an hour; only shutdown can end it within the suite's time limit.
    @Test("graceful shutdown ends running watches instead of waiting for their timeout", .timeLimit(.minutes(2)))
    func shutdownEndsWatches() async throws {
        let connection = try await withServer(.live) { server in
            let port = try #require(server.client.port)
            let connection = try RawConnection(port: port)
            connection.send(
                "GET \(Paths.scanJobs())?watch=true&timeoutSeconds=3600 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await connection.read(until: "\r\n\r\n", timeout: .seconds(30)).contains("200"))
            return connection
        }
        let rest = await connection.read(until: "0\r\n\r\n", timeout: .seconds(30))
        #expect(rest.hasSuffix("0\r\n\r\n"), "the chunked stream was not finished")
    }
}
