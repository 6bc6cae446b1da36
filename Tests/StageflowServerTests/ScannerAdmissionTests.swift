import Foundation
import StageflowAPI
import StageflowServer
import StageflowStore
import Testing

/// ScanJobs may only select registered scanners, with configurations their `configSchema` accepts; a started
/// job's spec is fixed but for `suspend` and `ttlSecondsAfterFinished`.
@Suite("Scanner selection and immutability")
struct ScannerAdmissionTests {
    static let configurable: JSONValue = [
        "apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner", "metadata": ["name": "link-checker"],
        "spec": [
            "id": "link-checker", "version": "1.0.0", "entry": ["builtin": "link-checker"],
            "configSchema": [
                "type": "object", "additionalProperties": false,
                "properties": ["checkExternal": ["type": "boolean"], "maxConcurrencyPerHost": ["type": "integer", "minimum": 1]],
            ],
        ],
    ]

    @Test("an unregistered scanner is 422 naming the field, and nothing is stored")
    func unknownScanner() async throws {
        try await withServer { server in
            let response = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("a", scanners: ["axe", "nonexistent"]))
            #expect(response.status.code == 422, "\(response.text)")
            let causes = response.json[path: ["details", "causes"]]?.arrayValue ?? []
            #expect(causes.contains { $0["field"] == "spec.scanners[1].name" }, "\(response.text)")
            #expect(response.text.contains("nonexistent"))
            #expect(try await server.store.list(.scanJob, namespace: nil).items.isEmpty)
        }
    }

    @Test("a config that violates the scanner's configSchema is 422 with every fault")
    func badConfig() async throws {
        try await withServer(registeredScanners: [scannerManifest("axe"), Self.configurable]) { server in
            var job = scanJob("a", scanners: ["link-checker"])
            job[path: "spec", "scanners"] = [["name": "link-checker", "config": ["checkExternal": "yes", "maxConcurrencyPerHost": 0, "extra": 1]]]
            let response = try await server.client.send(.post, Paths.scanJobs(), json: job)
            #expect(response.status.code == 422, "\(response.text)")
            let fields = Set((response.json[path: ["details", "causes"]]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue })
            #expect(fields.isSuperset(of: [
                "spec.scanners[0].config.checkExternal", "spec.scanners[0].config.maxConcurrencyPerHost", "spec.scanners[0].config.extra",
            ]), "\(fields)")
            job[path: "spec", "scanners"] = [["name": "link-checker", "config": ["checkExternal": true]]]
            #expect(try await server.client.send(.post, Paths.scanJobs(), json: job).status == .created)
        }
    }

    @Test("a started job's spec is immutable except suspend and ttlSecondsAfterFinished")
    func immutableOnceStarted() async throws {
        try await withServer { server in
            let created = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("a")).json
            // Before it starts, the spec may change.
            var pending = created
            pending[path: "spec", "target", "urls"] = ["https://example.org/"]
            let changed = try await server.client.send(.put, Paths.scanJob("a"), json: pending)
            #expect(changed.status == .ok, "\(changed.text)")
            // The controller starts it.
            var started = changed.json
            started["status"] = ["phase": "Scanning"]
            let statusWrite = try await server.client.send(.put, Paths.scanJob("a") + "/status", json: started)
            #expect(statusWrite.status == .ok, "\(statusWrite.text)")
            var retarget = statusWrite.json
            retarget[path: "spec", "target", "urls"] = ["https://example.net/"]
            let refused = try await server.client.send(.put, Paths.scanJob("a"), json: retarget)
            #expect(refused.status.code == 422, "\(refused.text)")
            #expect(refused.text.contains("spec.target"))
            let patched = try await server.client.send(
                .patch, Paths.scanJob("a"), text: #"{"spec":{"ttlSecondsAfterFinished":60,"suspend":true}}"#,
                contentType: "application/merge-patch+json")
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.json[path: ["spec", "ttlSecondsAfterFinished"]]?.intValue == 60)
        }
    }
}

