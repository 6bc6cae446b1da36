import Foundation
import Hummingbird
import HummingbirdTesting
import StageflowAPI
@testable import StageflowServer
import Testing

/// Browser sign-in: a token (or a one-time code) becomes an HttpOnly, SameSite=Strict session cookie that the
/// workbench and the API accept; signing out needs the page's CSRF token.
@Suite("Workbench sign-in")
struct SignInTests {
    static let tokens = try! AccessTokens.parse(
        yaml: """
            tokens:
              - {token: admin-token-01234567890, user: ada, namespaces: ["*"], role: admin}
            """)

    static func configuration() -> APIServerConfiguration {
        APIServerConfiguration(port: 0, access: AccessConfiguration(tokens: tokens))
    }

    static func cookie(from response: TestResponse) -> String? {
        guard let header = response.headers[.setCookie] else { return nil }
        return header.split(separator: ";").first.map(String.init)
    }

    @Test("a one-time code signs in once; the cookie opens pages and the API; a second use of the code is refused")
    func oneTimeCode() async throws {
        try await withServer(configuration: Self.configuration()) { server in
            let path = server.server.signInPath(forToken: "admin-token-01234567890")
            let first = try await server.client.send(.get, path, accept: "text/html")
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == "/")
            let setCookie = try #require(first.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), "\(setCookie)")
            #expect(!setCookie.contains("admin-token-01234567890"), "the cookie must not carry the token")
            let cookie = try #require(Self.cookie(from: first))

            let scans = try await server.client.execute(
                uri: "/scans", method: .get, headers: [.accept: "text/html", .cookie: cookie], body: nil)
            #expect(scans.status == .ok, "\(scans.text)")
            #expect(scans.text.contains("Sign out ada"))
            let api = try await server.client.execute(uri: Paths.scanJobs(), method: .get, headers: [.cookie: cookie], body: nil)
            #expect(api.status == .ok)

            let again = try await server.client.send(.get, path, accept: "text/html")
            #expect(again.status == .unauthorized)
            #expect(again.text.contains("used already or has expired"))
            #expect(again.headers[.setCookie] == nil)

            let forged = try await server.client.execute(
                uri: "/scans", method: .get, headers: [.accept: "text/html", .cookie: cookie.replacingOccurrences(of: ".", with: "0.")],
                body: nil)
            #expect(forged.status == .seeOther, "a tampered cookie is no session")
        }
    }

    @Test("the sign-in form takes a token; a wrong one is 401 on the form; sign-out needs the page's CSRF token")
    func formAndSignOut() async throws {
        try await withServer(configuration: Self.configuration()) { server in
            let page = try await server.client.send(.get, "/login?next=%2Fscans", accept: "text/html")
            #expect(page.status == .ok)
            #expect(page.text.contains("name=\"next\" value=\"/scans\""))
            let wrong = try await server.client.send(
                .post, "/login", text: "token=nope-nope-nope-nope&next=%2Fscans", contentType: "application/x-www-form-urlencoded",
                accept: "text/html")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("not known"))
            let right = try await server.client.send(
                .post, "/login", text: "token=admin-token-01234567890&next=%2Fscans", contentType: "application/x-www-form-urlencoded",
                accept: "text/html")
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/scans")
            let cookie = try #require(Self.cookie(from: right))
            // `next` never leads off the server.
            let offsite = try await server.client.send(
                .post, "/login", text: "token=admin-token-01234567890&next=%2F%2Fevil.example", contentType: "application/x-www-form-urlencoded")
            #expect(offsite.headers[.location] == "/")

            let home = try await server.client.execute(uri: "/", method: .get, headers: [.accept: "text/html", .cookie: cookie], body: nil)
            let csrf = try WorkbenchForms.csrf(in: home.text)
            let forgedOut = try await server.client.execute(
                uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=0"))
            #expect(forgedOut.status == .forbidden)
            let out = try await server.client.execute(
                uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(csrf)"))
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }
}
