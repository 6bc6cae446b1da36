import Foundation
import Hummingbird
import HummingbirdTesting
import StageflowAPI
@testable import StageflowServer
import Testing

/// What a web page in the operator's browser can do to the server: nothing (docs/security.md). Host names other
/// than the server's are refused (DNS rebinding), cross-site writes are refused, bodies need an explicit type,
/// workbench forms carry a CSRF token, and pages forbid framing and inline script.
@Suite("Defences against web pages")
struct BrowserDefenceTests {
    /// One raw HTTP/1.1 request to the live test server; returns the status line and headers (and body).
    static func raw(_ port: Int, _ request: String) async throws -> String {
        let connection = try RawConnection(port: port)
        connection.send(request)
        return await connection.read(until: "\r\n\r\n", timeout: .seconds(20))
    }

    static func post(host: String, origin: String? = nil, fetchSite: String? = nil, body: String) -> String {
        var head = "POST \(Paths.scanJobs()) HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\n"
        if let origin { head += "Origin: \(origin)\r\n" }
        if let fetchSite { head += "Sec-Fetch-Site: \(fetchSite)\r\n" }
        return head + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
    }

    @Test("a request naming a host that is not this server's is 421, whatever it asks (DNS rebinding)")
    func rebinding() async throws {
        let configuration = APIServerConfiguration(port: 0, allowedHosts: ["stageflow.example.org"])
        try await withServer(.live, configuration: configuration) { server in
            let port = try #require(server.client.port)
            let rebound = try await Self.raw(port, "GET \(Paths.scanJobs()) HTTP/1.1\r\nHost: evil.example:\(port)\r\nConnection: close\r\n\r\n")
            #expect(rebound.hasPrefix("HTTP/1.1 421"), "\(rebound)")
            for host in ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)", "stageflow.example.org"] {
                let answered = try await Self.raw(port, "GET \(Paths.scanJobs()) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
                #expect(answered.hasPrefix("HTTP/1.1 200"), "\(host): \(answered)")
            }
            // Probes carry whatever Host the prober uses.
            let probe = try await Self.raw(port, "GET /livez HTTP/1.1\r\nHost: 10.1.2.3:\(port)\r\nConnection: close\r\n\r\n")
            #expect(probe.hasPrefix("HTTP/1.1 200"), "\(probe)")
            #expect(try await server.client.scanJobNames().isEmpty)
        }
    }

    @Test("writes a browser marks cross-site or same-site, or that come from another origin, are 403; reads are not")
    func crossSiteWrites() async throws {
        try await withServer(.live) { server in
            let port = try #require(server.client.port)
            let host = "127.0.0.1:\(port)"
            let body = String(decoding: scanJob("job").jsonData(), as: UTF8.self)
            for (origin, site) in [
                ("http://evil.example", "cross-site"), (nil, "cross-site"), (nil, "same-site"), ("http://127.0.0.1:9999", nil),
                ("null", nil),
            ] as [(String?, String?)] {
                let response = try await Self.raw(port, Self.post(host: host, origin: origin, fetchSite: site, body: body))
                #expect(response.hasPrefix("HTTP/1.1 403"), "origin \(origin ?? "-") site \(site ?? "-"): \(response)")
            }
            #expect(try await server.client.scanJobNames().isEmpty)
            let sameOrigin = try await Self.raw(
                port, Self.post(host: host, origin: "http://\(host)", fetchSite: "same-origin", body: body))
            #expect(sameOrigin.hasPrefix("HTTP/1.1 201"), "\(sameOrigin)")
            let read = try await Self.raw(
                port, "GET \(Paths.scanJobs()) HTTP/1.1\r\nHost: \(host)\r\nSec-Fetch-Site: cross-site\r\nConnection: close\r\n\r\n")
            #expect(read.hasPrefix("HTTP/1.1 200"), "\(read)")
        }
    }

    @Test("a write without a Content-Type (fetch with mode no-cors) or with a form's type is 415, and nothing is stored")
    func contentTypeRequired() async throws {
        try await withServer { server in
            let body = ByteBuffer(bytes: scanJob("job").jsonData())
            let untyped = try await server.client.execute(uri: Paths.scanJobs(), method: .post, headers: [:], body: body)
            #expect(untyped.status == .unsupportedMediaType, "\(untyped.text)")
            #expect(untyped.json["message"]?.stringValue?.contains("Content-Type") == true)
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let typed = try await server.client.execute(
                    uri: Paths.scanJobs(), method: .post, headers: [.contentType: type], body: body)
                #expect(typed.status == .unsupportedMediaType, "\(type): \(typed.text)")
            }
            let jobs = try await server.client.execute(
                uri: "/api/v1/jobs/urls", method: .post, headers: [:],
                body: ByteBuffer(string: #"{"urls":["https://example.com/"],"scanners":["axe"]}"#))
            #expect(jobs.status == .unsupportedMediaType, "\(jobs.text)")
            #expect(try await server.client.scanJobNames().isEmpty)
        }
    }

    @Test("workbench pages forbid framing, sniffing and inline script, and send no referrer to other sites")
    func pageHeaders() async throws {
        try await withServer { server in
            for path in ["/", "/scans"] {
                let page = try await server.client.send(.get, path, accept: "text/html")
                let policy = try #require(page.headers[.contentSecurityPolicy], "\(path)")
                #expect(policy.contains("script-src 'self'") && !policy.contains("script-src 'self' 'unsafe-inline'"), "\(policy)")
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(page.headers[HTTPFields.Element.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[HTTPFields.Element.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(page.headers[HTTPFields.Element.Name("Referrer-Policy")!] == "same-origin")
                #expect(!page.text.contains("<script>"), "\(path) has an inline script")
            }
        }
    }
}
