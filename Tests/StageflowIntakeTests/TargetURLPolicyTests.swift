import Testing
@testable import StageflowIntake

@Suite struct TargetURLPolicyTests {
    static let resolver = StaticHostResolver([
        "example.com": [IPAddress("93.184.215.14")!],
        "xn--bcher-kva.example": [IPAddress("93.184.215.15")!],
        "v6.example": [IPAddress("2606:4700::1111")!],
        "rebind.test": [IPAddress("93.184.215.14")!, IPAddress("10.0.0.5")!],
        "internal.test": [IPAddress("192.168.1.10")!],
        "ula.test": [IPAddress("fd00::1")!],
        "metadata.test": [IPAddress("169.254.169.254")!],
        "mapped.test": [IPAddress("2606:4700::1111")!, IPAddress("::ffff:127.0.0.1")!],
    ])

    typealias Reason = TargetURLRejection.Reason

    /// Forbidden spellings: each with the reason and a fragment the message must contain.
    static let forbidden: [(String, Reason, String)] = [
        ("http://127.0.0.1/", .privateAddress, "host 127.0.0.1 is 127.0.0.1, a loopback address"),
        ("http://0177.0.0.1/", .privateAddress, "host 0177.0.0.1 is 127.0.0.1, a loopback address (127.0.0.0/8); private targets are not allowed for this job"),
        ("http://2130706433/", .privateAddress, "host 2130706433 is 127.0.0.1"),
        ("http://0x7f000001/", .privateAddress, "host 0x7f000001 is 127.0.0.1"),
        ("http://0x7f.1/", .privateAddress, "host 0x7f.1 is 127.0.0.1"),
        ("http://0X7F.0.0.1/", .privateAddress, "is 127.0.0.1"),
        ("http://127.1/", .privateAddress, "host 127.1 is 127.0.0.1"),
        ("http://0177.1/", .privateAddress, "is 127.0.0.1"),
        ("http://127.0.1/", .privateAddress, "is 127.0.0.1"),
        ("http://0x7f.0x0.0.01/", .privateAddress, "is 127.0.0.1"),
        ("http://10.1/", .privateAddress, "host 10.1 is 10.0.0.1, a private address (10.0.0.0/8)"),
        ("http://012.0.0.1/", .privateAddress, "is 10.0.0.1"),
        ("http://0xa.0.0.1/", .privateAddress, "is 10.0.0.1"),
        ("http://167772161/", .privateAddress, "is 10.0.0.1"),
        ("http://192.168.0.1/", .privateAddress, "192.168.0.0/16"),
        ("http://172.16.0.1/", .privateAddress, "172.16.0.0/12"),
        ("http://172.31.255.255:8080/", .privateAddress, "172.16.0.0/12"),
        ("http://127.0.0.1./", .privateAddress, "is 127.0.0.1"),
        ("http://127.0.0.1../", .privateAddress, "is 127.0.0.1"),
        ("http://%31%32%37.0.0.1/", .privateAddress, "is 127.0.0.1"),
        ("http://%30x7f.1/", .privateAddress, "is 127.0.0.1"),
        ("http://１２７.０.０.１/", .privateAddress, "is 127.0.0.1"),
        ("http://127。0。0。1/", .privateAddress, "is 127.0.0.1"),
        ("http://localhost/", .privateAddress, "host localhost resolves to 127.0.0.1, a loopback address"),
        ("http://LOCALHOST./", .privateAddress, "resolves to 127.0.0.1"),
        ("http://app.localhost:3000/", .privateAddress, "resolves to 127.0.0.1"),
        ("http://[::1]/", .privateAddress, "host [::1] is ::1, a loopback address (::1/128)"),
        ("http://[0:0:0:0:0:0:0:1]:8080/", .privateAddress, "is ::1"),
        ("http://[::ffff:127.0.0.1]/", .privateAddress, "IPv4-mapped 127.0.0.1"),
        ("http://[::ffff:7f00:1]/", .privateAddress, "IPv4-mapped 127.0.0.1"),
        ("http://[::FFFF:10.0.0.1]/", .privateAddress, "IPv4-mapped 10.0.0.1"),
        ("http://[::127.0.0.1]/", .privateAddress, "IPv4-compatible 127.0.0.1"),
        ("http://[::ffff:0:7f00:1]/", .privateAddress, "IPv4-translated 127.0.0.1"),
        ("http://[64:ff9b::7f00:1]/", .privateAddress, "NAT64 127.0.0.1"),
        ("http://[64:ff9b::10.0.0.1]/", .privateAddress, "NAT64 10.0.0.1"),
        ("http://[2002:c0a8:101::1]/", .privateAddress, "6to4 192.168.1.1"),
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", .privateAddress, "Teredo 127.0.0.1"),
        ("http://[2001:0:1:2:3:4:5601:5601]/", .alwaysBlockedAddress, "Teredo 169.254.169.254"),
        ("http://[64:ff9b:1::7f00:1]/", .privateAddress, "NAT64 127.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", .alwaysBlockedAddress, "host 169.254.169.254 is 169.254.169.254, a link-local address (169.254.0.0/16), which is never allowed"),
        ("http://0xa9fea9fe/", .alwaysBlockedAddress, "is 169.254.169.254"),
        ("http://2852039166/", .alwaysBlockedAddress, "is 169.254.169.254"),
        ("http://0251.0376.0251.0376/", .alwaysBlockedAddress, "is 169.254.169.254"),
        ("http://[::ffff:169.254.169.254]/", .alwaysBlockedAddress, "IPv4-mapped 169.254.169.254"),
        ("http://[64:ff9b::a9fe:a9fe]/", .alwaysBlockedAddress, "NAT64 169.254.169.254"),
        ("http://0/", .alwaysBlockedAddress, "host 0 is 0.0.0.0, a \"this network\" address"),
        ("http://0.0.0.0:8080/", .alwaysBlockedAddress, "0.0.0.0/8"),
        ("http://100.64.0.1/", .alwaysBlockedAddress, "carrier-grade NAT"),
        ("http://100.127.255.254/", .alwaysBlockedAddress, "100.64.0.0/10"),
        ("http://192.0.0.8/", .alwaysBlockedAddress, "192.0.0.0/24"),
        ("http://192.0.2.1/", .alwaysBlockedAddress, "192.0.2.0/24"),
        ("http://198.18.0.1/", .alwaysBlockedAddress, "198.18.0.0/15"),
        ("http://198.19.255.1/", .alwaysBlockedAddress, "198.18.0.0/15"),
        ("http://198.51.100.7/", .alwaysBlockedAddress, "198.51.100.0/24"),
        ("http://203.0.113.9/", .alwaysBlockedAddress, "203.0.113.0/24"),
        ("http://224.0.0.1/", .alwaysBlockedAddress, "multicast"),
        ("http://239.255.255.250/", .alwaysBlockedAddress, "224.0.0.0/4"),
        ("http://240.0.0.1/", .alwaysBlockedAddress, "240.0.0.0/4"),
        ("http://255.255.255.255/", .alwaysBlockedAddress, "reserved or broadcast"),
        ("http://[::]/", .alwaysBlockedAddress, "the unspecified address (::/128)"),
        ("http://[100::1]/", .alwaysBlockedAddress, "100::/64"),
        ("http://[2001:db8::1]/", .alwaysBlockedAddress, "2001:db8::/32"),
        ("http://[fc00::1]/", .alwaysBlockedAddress, "fc00::/7"),
        ("http://[fd12:3456::1]/", .alwaysBlockedAddress, "unique local"),
        ("http://[fe80::1]/", .alwaysBlockedAddress, "fe80::/10"),
        ("http://[fec0::1]/", .alwaysBlockedAddress, "fec0::/10"),
        ("http://[ff02::1]/", .alwaysBlockedAddress, "ff00::/8"),
        ("http://metadata.test/", .alwaysBlockedAddress, "host metadata.test resolves to 169.254.169.254"),
        ("http://rebind.test/", .privateAddress, "host rebind.test resolves to 10.0.0.5, a private address"),
        ("http://internal.test/", .privateAddress, "resolves to 192.168.1.10"),
        ("http://ula.test/", .alwaysBlockedAddress, "resolves to fd00::1, a unique local address"),
        ("http://mapped.test/", .privateAddress, "resolves to ::ffff:127.0.0.1"),
        ("ftp://example.com/", .schemeNotAllowed, "scheme ftp is not allowed; only http and https are"),
        ("file:///etc/passwd", .schemeNotAllowed, "scheme file is not allowed"),
        ("gopher://example.com/", .schemeNotAllowed, "scheme gopher"),
        ("javascript:alert(1)", .schemeNotAllowed, "scheme javascript"),
        ("HTTPS+x://example.com/", .schemeNotAllowed, "scheme https+x"),
        ("http://user:pass@example.com/", .credentials, "credentials in URLs are not allowed"),
        ("http://@example.com/", .credentials, "user information"),
        ("http://example.com@127.0.0.1/", .credentials, "user information"),
        ("http://example.com:0/", .invalidPort, "port 0 is not allowed"),
        ("http://example.com:65536/", .invalidPort, "port 65536 is above 65535"),
        ("http://example.com:99999999999999999999/", .invalidPort, "above 65535"),
        ("http://example.com:8o/", .invalidPort, "port 8o is not a number"),
        ("http://example.com:-1/", .invalidPort, "not a number"),
        ("http://example.com:/", .invalidPort, "port is empty"),
        ("http:///path", .emptyHost, "URL has no host"),
        ("http://./", .emptyHost, "empty once trailing dots are removed"),
        ("http://:8080/", .emptyHost, "no host"),
        ("http://[fe80::1%25eth0]/", .zoneIdentifier, "zone identifier"),
        ("http://[fe80::1%eth0]/", .zoneIdentifier, "zone identifier"),
        ("http://1.2.3.4.5/", .invalidHost, "not a valid IPv4 address: more than four parts"),
        ("http://0x100.0.0.1/", .invalidHost, "not a valid IPv4 address"),
        ("http://256.256.256.256/", .invalidHost, "not a valid IPv4 address"),
        ("http://4294967296/", .invalidHost, "the last part is too large"),
        ("http://08.0.0.1/", .invalidHost, "is not a number"),
        ("http://[::ffff:127.0.0.1.5]/", .invalidHost, "not a valid IPv6 address"),
        ("http://[1::2::3]/", .invalidHost, "not a valid IPv6 address"),
        ("http://[::1/", .invalidHost, "no closing ]"),
        ("http://::1/", .invalidHost, "IPv6 hosts go in brackets"),
        ("http://exa%00mple.com/", .invalidHost, "U+0"),
        ("http://exa%2fmple.com/", .invalidHost, "\"/\""),
        ("http://ex%zzample.com/", .invalidHost, "invalid percent escape"),
        ("http://a..b.example/", .invalidHost, "empty label"),
        ("http://exa mple.com/", .malformed, "space or control character"),
        ("http://example.com\\@127.0.0.1/", .malformed, "backslash"),
        ("http:\\\\127.0.0.1/", .malformed, "no authority"),
        ("http:127.0.0.1", .malformed, "no authority"),
        ("//127.0.0.1/", .malformed, "no scheme"),
        ("1http://example.com/", .malformed, "no valid scheme"),
        ("127.0.0.1", .malformed, "no scheme"),
        ("", .malformed, "URL is empty"),
        ("http://example.com/\u{0}", .malformed, "control character"),
        ("http://nonexistent.test/", .unresolvable, "host nonexistent.test does not resolve"),
    ]

    @Test func forbiddenSpellingsAreRejectedWithTheirReason() async {
        #expect(Self.forbidden.count >= 40)
        let policy = TargetURLPolicy(resolver: Self.resolver)
        for (url, reason, fragment) in Self.forbidden {
            do {
                let target = try await policy.check(url)
                Issue.record("\(url) was allowed as \(target)")
            } catch {
                #expect(error.reason == reason, "\(url): \(error.message)")
                #expect(error.message.contains(fragment), "\(url): \(error.message)")
                #expect(error.url == url)
            }
        }
    }

    @Test func publicTargetsAreAllowedAndNormalised() async throws {
        let policy = TargetURLPolicy(resolver: Self.resolver)
        let cases: [(String, String)] = [
            ("http://example.com/", "http://example.com/"),
            ("HTTPS://Example.COM:443", "https://example.com/"),
            ("https://example.com:8443/path?q=1#top", "https://example.com:8443/path?q=1#top"),
            ("http://example.com./a%20b", "http://example.com/a%20b"),
            ("http://example.com/ä?q=<x>", "http://example.com/%C3%A4?q=%3Cx%3E"),
            ("http://93.184.215.14/", "http://93.184.215.14/"),
            ("http://1572394766/", "http://93.184.215.14/"),
            ("http://[2606:4700::1111]:8080/", "http://[2606:4700::1111]:8080/"),
            ("http://v6.example/", "http://v6.example/"),
            ("http://bücher.example/", "http://xn--bcher-kva.example/"),
            ("http://BÜCHER.example./", "http://xn--bcher-kva.example/"),
        ]
        for (given, normalised) in cases {
            let target = try await policy.check(given)
            #expect(target.description == normalised, "\(given)")
            #expect(!target.addresses.isEmpty)
        }
    }

    @Test func privateTargetsOnlyWhenAllowed() async throws {
        let policy = TargetURLPolicy(allowPrivateTargets: true, resolver: Self.resolver)
        #expect(try await policy.check("http://0177.0.0.1:3000/x").description == "http://127.0.0.1:3000/x")
        #expect(try await policy.check("http://rebind.test/").addresses.count == 2)
        #expect(try await policy.check("http://[::1]/").description == "http://[::1]/")
        #expect(try await policy.check("http://localhost:8080/").description == "http://localhost:8080/")
        #expect(try await policy.check("http://[::ffff:192.168.1.1]/").addresses == [IPAddress("::ffff:192.168.1.1")!])
        for url in ["http://169.254.169.254/", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0/", "http://ula.test/"] {
            await #expect(throws: TargetURLRejection.self, "\(url)") { try await policy.check(url) }
        }
    }

    @Test func theJobsOwnOriginIsAllowedAndNothingElseOnLoopback() async throws {
        let origin = try TargetOrigin("http://127.0.0.1:8123")
        let policy = TargetURLPolicy(allowedOrigins: [origin], resolver: Self.resolver)
        #expect(try await policy.check("http://127.0.0.1:8123/index.html").description == "http://127.0.0.1:8123/index.html")
        #expect(try await policy.check("http://0x7f.1:8123/").description == "http://127.0.0.1:8123/")
        for url in ["http://127.0.0.1:8124/", "http://localhost:8123/", "http://[::1]:8123/", "https://127.0.0.1:8123/", "http://127.0.0.2:8123/"] {
            do {
                _ = try await policy.check(url)
                Issue.record("\(url) was allowed")
            } catch {
                #expect(error.reason == .privateAddress, "\(url)")
            }
        }
        let connect = policy.addressPolicy
        #expect(connect.verdict(for: IPAddress("127.0.0.1")!, port: 8123).isAllowed)
        #expect(!connect.verdict(for: IPAddress("127.0.0.1")!, port: 8124).isAllowed)
        #expect(!connect.verdict(for: IPAddress("127.0.0.1")!).isAllowed)
    }

    @Test func theResolverIsAskedForPunycodeNames() async throws {
        let target = try await TargetURLPolicy(resolver: Self.resolver).check("http://bücher.example/")
        #expect(target.addresses == [IPAddress("93.184.215.15")!])
    }

    @Test func theSystemResolverResolvesLocalhostAndRejectsNonsense() async throws {
        let addresses = try await SystemHostResolver().addresses(of: "localhost")
        #expect(addresses.contains(IPAddress("127.0.0.1")!) || addresses.contains(IPAddress("::1")!))
        await #expect(throws: HostResolutionError.self) {
            try await SystemHostResolver().addresses(of: "no-such-host.invalid")
        }
    }
}
