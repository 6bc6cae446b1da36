import Testing
@testable import StageflowIntake

@Suite struct AddressPolicyTests {
    @Test func textualAddressesRoundTrip() {
        for text in ["0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1", "fe80::1:2:3:4", "::ffff:127.0.0.1", "1:0:0:1::"] {
            #expect(IPAddress(text)?.description == text)
        }
        #expect(IPAddress("0:0:0:0:0:0:0:1")?.description == "::1")
        #expect(IPAddress("2001:DB8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        for bad in ["", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1::2::3", "12345::", ":::", "1:2:3:4:5:6:7:8:9", "::g"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func verdictsFollowTheRanges() {
        let closed = AddressPolicy()
        let open = AddressPolicy(allowPrivateTargets: true)
        for text in ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "172.32.0.1", "100.128.0.1", "2001:4860::8888"] {
            #expect(closed.verdict(for: IPAddress(text)!).isAllowed, "\(text)")
        }
        for text in ["10.0.0.1", "127.0.0.1", "127.255.255.255", "172.16.0.1", "192.168.255.255", "::1", "::ffff:10.1.2.3"] {
            #expect(!closed.verdict(for: IPAddress(text)!).isAllowed, "\(text)")
            #expect(open.verdict(for: IPAddress(text)!).isAllowed, "\(text)")
        }
        for text in ["0.1.2.3", "100.64.0.0", "169.254.169.254", "192.0.0.1", "192.0.2.255", "198.18.5.5", "198.51.100.1",
                     "203.0.113.1", "224.0.0.1", "240.0.0.0", "255.255.255.255", "::", "100::ffff", "2001:db8:ffff::",
                     "fc00::", "fdff::1", "fe80::", "febf::1", "fec0::", "feff::1", "ff00::", "::ffff:169.254.1.1",
                     "64:ff9b::a9fe:1", "2002:a9fe:0101::", "::0.0.0.2"]
        {
            let verdict = open.verdict(for: IPAddress(text)!)
            #expect(!verdict.isAllowed, "\(text)")
            #expect(verdict.refusal?.contains("which is never allowed") == true, "\(text)")
        }
    }

    @Test func refusalsNameTheAddressTheRangeAndThePolicy() {
        let verdict = AddressPolicy().verdict(for: IPAddress("::ffff:7f00:1")!)
        #expect(verdict.checkedAs == IPAddress("127.0.0.1")!)
        #expect(verdict.refusal == "::ffff:127.0.0.1 (IPv4-mapped 127.0.0.1), a loopback address (127.0.0.0/8); private targets are not allowed for this job")
    }

    @Test func allowedEndpointsOpenOnePortOnly() {
        let policy = AddressPolicy(allowedEndpoints: [.init(address: IPAddress("127.0.0.1")!, port: 8123)])
        #expect(policy.verdict(for: IPAddress("127.0.0.1")!, port: 8123).isAllowed)
        #expect(policy.verdict(for: IPAddress("::ffff:127.0.0.1")!, port: 8123).isAllowed)
        #expect(!policy.verdict(for: IPAddress("127.0.0.1")!, port: 8124).isAllowed)
        #expect(!policy.verdict(for: IPAddress("127.0.0.2")!, port: 8123).isAllowed)
        let alwaysBlocked = AddressPolicy(allowedEndpoints: [.init(address: IPAddress("169.254.169.254")!, port: 80)])
        #expect(!alwaysBlocked.verdict(for: IPAddress("169.254.169.254")!, port: 80).isAllowed)
    }

    @Test func whatwgIPv4Spellings() {
        let cases: [(String, IPv4Spelling)] = [
            ("127.0.0.1", .address(0x7f00_0001)), ("2130706433", .address(0x7f00_0001)),
            ("0x7f.1", .address(0x7f00_0001)), ("0177.0.0.1", .address(0x7f00_0001)), ("127.1", .address(0x7f00_0001)),
            ("10.1.2", .address(0x0a01_0002)), ("0x", .address(0)), ("0.0x0.00.0", .address(0)),
            ("example.com", .notIPv4), ("1.2.3.a", .notIPv4), ("0x7g.1", .invalid("part \"0x7g\" is not a number")),
            ("1.2.3.4.5", .invalid("more than four parts")), ("09", .invalid("part \"09\" is not a number")),
        ]
        for (host, expected) in cases {
            #expect(IPv4Spelling.parse(host) == expected, "\(host)")
        }
    }

    @Test func punycodeMatchesRFC3492() {
        #expect(Punycode.encode("bücher".unicodeScalars) == "bcher-kva")
        #expect(Punycode.encode("münchen".unicodeScalars) == "mnchen-3ya")
        #expect(Punycode.encode("例え".unicodeScalars) == "r8jz45g")
        #expect(Punycode.encode("他们为什么不说中文".unicodeScalars) == "ihqwcrb4cv8a8dqg056pqjye")
    }
}
