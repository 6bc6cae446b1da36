import Foundation
import Testing

@testable import StageflowScanner

@Suite("URL resolution and canonical spelling")
struct WebAddressTests {
    let page = URL(string: "http://127.0.0.1:8000/api-guide/views/")!

    @Test(
        "references resolve against the page as browsers resolve them",
        arguments: [
            ("../serializers#modelserializer", "http://127.0.0.1:8000/api-guide/serializers", "modelserializer"),
            ("../../img/logo.png", "http://127.0.0.1:8000/img/logo.png", nil),
            ("#section", "http://127.0.0.1:8000/api-guide/views/", "section"),
            ("", "http://127.0.0.1:8000/api-guide/views/", nil),
            ("?page=2", "http://127.0.0.1:8000/api-guide/views/?page=2", nil),
            ("//cdn.example.com/x.js", "http://cdn.example.com/x.js", nil),
            ("HTTPS://Example.COM:443/a/./b/../c", "https://example.com/a/c", nil),
            ("  /with space/é.html\n", "http://127.0.0.1:8000/with%20space/%C3%A9.html", nil),
            ("/a#b#c", "http://127.0.0.1:8000/a", "b%23c"),
            ("\\windows\\path", "http://127.0.0.1:8000/windows/path", nil),
            ("http://[::1]:8080/x", "http://[::1]:8080/x", nil),
        ] as [(String, String, String?)])
    func resolution(reference: String, expected: String, fragment: String?) throws {
        let address = try #require(WebAddress.resolve(reference, against: page))
        #expect(address.key == expected)
        #expect(address.fragment == fragment)
    }

    @Test("schemes are read from the reference as written; only http and https resolve")
    func schemes() {
        #expect(WebAddress.scheme(of: " mailto:a@b.c") == "mailto")
        #expect(WebAddress.scheme(of: "JavaScript:void(0)") == "javascript")
        #expect(WebAddress.scheme(of: "/relative:colon") == nil)
        #expect(WebAddress.resolve("ftp://example.com/file", against: page) == nil)
    }

    @Test("origins compare scheme, host and port")
    func origins() throws {
        let a = try #require(WebAddress("http://example.com/x"))
        let b = try #require(WebAddress("http://EXAMPLE.com:80/y"))
        let c = try #require(WebAddress("https://example.com/x"))
        #expect(a.isSameOrigin(as: b))
        #expect(!a.isSameOrigin(as: c))
        #expect(a.origin == "http://example.com")
    }
}
