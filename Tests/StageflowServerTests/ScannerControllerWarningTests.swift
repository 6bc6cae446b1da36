import Foundation
import HummingbirdTesting
import StageflowAPI
import StageflowServer
import StageflowStore
import Testing

/// A job selecting a scanner that a long-lived controller runs (`entry.controller`) is accepted with a warning when
/// no such controller holds its lease: the scanner will be skipped, and the warning says what to configure.
@Suite("Scanner controller warnings")
struct ScannerControllerWarningTests {
    static let navigator: JSONValue = [
        "apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner", "metadata": ["name": "ai-navigator"],
        "spec": ["id": "ai-navigator", "version": "1.0.0", "entry": ["controller": "vision"]],
    ]

    static func lease(renewed: Date) -> JSONValue {
        [
            "apiVersion": .string(ResourceKind.lease.apiVersion), "kind": "Lease",
            "metadata": ["name": "stageflow-vision", "namespace": "stageflow-system"],
            "spec": [
                "holderIdentity": "vision-1", "leaseDurationSeconds": 10, "acquireTime": .string(Timestamp.microString(renewed)),
                "renewTime": .string(Timestamp.microString(renewed)),
            ],
        ]
    }

    @Test("without a vision controller the job is created with a Warning saying ai-navigator will be skipped and what to set")
    func warns() async throws {
        try await withServer(registeredScanners: [scannerManifest("seo"), Self.navigator]) { server in
            let created = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("journey", scanners: ["seo", "ai-navigator"]))
            #expect(created.status == .created, "\(created.text)")
            let warning = try #require(created.headers[.init("Warning")!])
            #expect(warning.contains("ai-navigator will be skipped: no vision controller is running"))
            #expect(warning.contains("--vision-model"))

            let plain = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("plain", scanners: ["seo"]))
            #expect(plain.headers[.init("Warning")!] == nil)
        }
    }

    @Test("with a vision controller holding its lease there is no warning; a lease left long ago does not count")
    func leaseHeld() async throws {
        try await withServer(registeredScanners: [scannerManifest("seo"), Self.navigator]) { server in
            _ = try await server.store.create(.lease, Self.lease(renewed: Date()))
            let created = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("journey", scanners: ["ai-navigator"]))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.init("Warning")!] == nil)
        }
        try await withServer(registeredScanners: [Self.navigator]) { server in
            _ = try await server.store.create(.lease, Self.lease(renewed: Date().addingTimeInterval(-3600)))
            let created = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("journey", scanners: ["ai-navigator"]))
            #expect(created.headers[.init("Warning")!]?.contains("will be skipped") == true)
        }
    }
}
