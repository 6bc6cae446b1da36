import Foundation
import Hummingbird
import HummingbirdTesting
import StageflowAPI
import StageflowIntake
import StageflowServer
import Testing

/// The SSRF policy at intake, through the real HTTP API: forbidden target URLs are refused with a 422 naming
/// the field and the policy's reason; names that do not resolve now are accepted.
@Suite("Target URL policy at intake")
struct TargetURLIntakeTests {
    static let resolver = StaticHostResolver([
        "metadata.test": [IPAddress("169.254.169.254")!],
        "rebind.test": [IPAddress("93.184.216.34")!, IPAddress("10.0.0.5")!],
        "internal.test": [IPAddress("192.168.1.10")!],
        "ula.test": [IPAddress("fd00::1")!],
        "public.test": [IPAddress("93.184.216.34")!],
    ])

    static func configuration(serverAllowsPrivate: Bool = false) -> APIServerConfiguration {
        APIServerConfiguration(
            port: 0, targetURLs: TargetURLAdmission(serverAllowsPrivateTargets: serverAllowsPrivate, resolver: resolver))
    }

    static let forbidden: [(String, TargetURLRejection.Reason)] = [
        ("http://127.0.0.1/", .privateAddress), ("http://0177.0.0.1/", .privateAddress),
        ("http://2130706433/", .privateAddress), ("http://0x7f000001/", .privateAddress),
        ("http://0x7f.1/", .privateAddress), ("http://127.1/", .privateAddress), ("http://0177.1/", .privateAddress),
        ("http://10.1/", .privateAddress), ("http://012.0.0.1/", .privateAddress), ("http://167772161/", .privateAddress),
        ("http://192.168.0.1/", .privateAddress), ("http://172.16.0.1/", .privateAddress),
        ("http://127.0.0.1./", .privateAddress), ("http://localhost/", .privateAddress),
        ("http://app.localhost:3000/", .privateAddress), ("http://[::1]/", .privateAddress),
        ("http://[::ffff:127.0.0.1]/", .privateAddress), ("http://[::ffff:7f00:1]/", .privateAddress),
        ("http://[::127.0.0.1]/", .privateAddress), ("http://[64:ff9b::7f00:1]/", .privateAddress),
        ("http://169.254.169.254/latest/meta-data/", .alwaysBlockedAddress), ("http://0xa9fea9fe/", .alwaysBlockedAddress),
        ("http://2852039166/", .alwaysBlockedAddress), ("http://0251.0376.0251.0376/", .alwaysBlockedAddress),
        ("http://[::ffff:169.254.169.254]/", .alwaysBlockedAddress), ("http://0/", .alwaysBlockedAddress),
        ("http://0.0.0.0:8080/", .alwaysBlockedAddress), ("http://100.64.0.1/", .alwaysBlockedAddress),
        ("http://192.0.2.1/", .alwaysBlockedAddress), ("http://198.18.0.1/", .alwaysBlockedAddress),
        ("http://224.0.0.1/", .alwaysBlockedAddress), ("http://240.0.0.1/", .alwaysBlockedAddress),
        ("http://[fc00::1]/", .alwaysBlockedAddress), ("http://[fe80::1]/", .alwaysBlockedAddress),
        ("http://[ff02::1]/", .alwaysBlockedAddress), ("http://[2001:db8::1]/", .alwaysBlockedAddress),
        ("http://metadata.test/", .alwaysBlockedAddress), ("http://rebind.test/", .privateAddress),
        ("http://internal.test/", .privateAddress), ("http://ula.test/", .alwaysBlockedAddress),
        ("http://user:pass@example.com/", .credentials), ("http://@example.com/", .credentials),
        ("http://example.com@127.0.0.1/", .credentials), ("http://example.com:0/", .invalidPort),
        ("http://example.com:65536/", .invalidPort), ("http://[fe80::1%25eth0]/", .zoneIdentifier),
        ("https://ex ample.com/", .malformed),
    ]

    @Test("at least 40 forbidden spellings are refused at intake with the field and the reason")
    func forbiddenSpellings() async throws {
        #expect(Self.forbidden.count >= 40)
        try await withServer(configuration: Self.configuration()) { server in
            for (index, (url, reason)) in Self.forbidden.enumerated() {
                let job = scanJob("bad-\(index)", urls: ["https://public.test/", url])
                let response = try await server.client.send(.post, Paths.scanJobs(), json: job)
                #expect(response.status == .unprocessableContent, "\(url): \(response.status) \(response.text)")
                let message = response.json["message"]?.stringValue ?? ""
                #expect(message.contains("spec.target.urls[1]"), "\(url): \(message)")
                #expect(message.contains("\(reason)"), "\(url): expected \(reason) in \(message)")
            }
            #expect(try await server.client.scanJobNames().isEmpty)
        }
    }

    @Test("unresolvable and public names pass; private targets need both the server and the job")
    func acceptedAndPrivate() async throws {
        try await withServer(configuration: Self.configuration()) { server in
            _ = try await server.client.createScanJob(scanJob("ok", urls: ["https://example.com/", "https://public.test/a"]))
            var job = scanJob("private", urls: ["http://10.0.0.1/"])
            job[path: "spec", "allowPrivateTargets"] = true
            let refused = try await server.client.send(.post, Paths.scanJobs(), json: job)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
        }
        try await withServer(configuration: Self.configuration(serverAllowsPrivate: true)) { server in
            let withoutAsking = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("p", urls: ["http://10.0.0.1/"]))
            #expect(withoutAsking.status == .unprocessableContent, "\(withoutAsking.text)")
            var job = scanJob("private", urls: ["http://10.0.0.1/"])
            job[path: "spec", "allowPrivateTargets"] = true
            _ = try await server.client.createScanJob(job)
            // Always-blocked ranges stay blocked under every policy.
            var metadata = scanJob("metadata", urls: ["http://169.254.169.254/"])
            metadata[path: "spec", "allowPrivateTargets"] = true
            let blocked = try await server.client.send(.post, Paths.scanJobs(), json: metadata)
            #expect(blocked.status == .unprocessableContent)
        }
    }

    @Test("updates and merge patches are checked too")
    func updates() async throws {
        try await withServer(configuration: Self.configuration()) { server in
            let created = try await server.client.createScanJob(scanJob("nightly"))
            var replaced = created
            replaced[path: "spec", "target", "urls"] = ["http://169.254.169.254/"]
            let put = try await server.client.send(.put, Paths.scanJob("nightly"), json: replaced)
            #expect(put.status == .unprocessableContent, "\(put.text)")
            #expect(put.json["message"]?.stringValue?.contains("alwaysBlockedAddress") == true)
            let patch = try await server.client.send(
                .patch, Paths.scanJob("nightly"), json: ["spec": ["target": ["urls": ["http://127.1/"]]]],
                contentType: "application/merge-patch+json")
            #expect(patch.status == .unprocessableContent, "\(patch.text)")
            #expect(patch.json["message"]?.stringValue?.contains("spec.target.urls[0]") == true, "\(patch.text)")
        }
    }
}
