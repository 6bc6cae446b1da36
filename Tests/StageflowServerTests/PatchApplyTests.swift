import Foundation
import HummingbirdTesting
import StageflowAPI
import Testing

@Suite("Patch and server-side apply")
struct PatchApplyTests {
    static let applyType = "application/apply-patch+yaml"

    static let manifest = """
        apiVersion: stageflow.dev/v1alpha1
        kind: ScanJob
        metadata:
          name: site
          labels:
            team: web
        spec:
          target:
            urls:
              - https://example.com/
          scanners:
            - name: axe
          failOn: serious
        """

    @Test("merge patch and JSON patch")
    func patches() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("job", labels: ["a": "1"]))
            let merged = try await server.client.send(
                .patch, Paths.scanJob("job"), json: ["metadata": ["labels": ["b": "2"]], "spec": ["failOn": "info"]],
                contentType: "application/merge-patch+json")
            #expect(merged.status == .ok, "\(merged.text)")
            #expect(merged.json[path: ["metadata", "labels"]] == ["a": "1", "b": "2"])
            #expect(merged.json[path: ["spec", "failOn"]] == "info")

            let json = try await server.client.send(
                .patch, Paths.scanJob("job"),
                json: [["op": "replace", "path": "/spec/failOn", "value": "critical"], ["op": "remove", "path": "/metadata/labels/a"]],
                contentType: "application/json-patch+json")
            #expect(json.status == .ok, "\(json.text)")
            #expect(json.json[path: ["spec", "failOn"]] == "critical")
            #expect(json.json[path: ["metadata", "labels"]] == ["b": "2"])

            let failedTest = try await server.client.send(
                .patch, Paths.scanJob("job"), json: [["op": "test", "path": "/spec/failOn", "value": "minor"]],
                contentType: "application/json-patch+json")
            #expect(failedTest.status == .unprocessableContent)

            let strategic = try await server.client.send(
                .patch, Paths.scanJob("job"), json: ["spec": ["failOn": "info"]],
                contentType: "application/strategic-merge-patch+json")
            #expect(strategic.status == .unsupportedMediaType)
            #expect(strategic.json["reason"] == "UnsupportedMediaType")

            let missing = try await server.client.send(
                .patch, Paths.scanJob("nope"), json: ["spec": ["failOn": "info"]], contentType: "application/merge-patch+json")
            #expect(missing.status == .notFound)
        }
    }

    @Test("a patch with a stale resourceVersion is 409")
    func patchPrecondition() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("job"))
            try await server.client.send(
                .patch, Paths.scanJob("job"), json: ["spec": ["failOn": "info"]], contentType: "application/merge-patch+json")
            let stale = try await server.client.send(
                .patch, Paths.scanJob("job"),
                json: ["metadata": ["resourceVersion": .string(created.resourceVersion ?? "")], "spec": ["failOn": "minor"]],
                contentType: "application/merge-patch+json")
            #expect(stale.status == .conflict)
            let current = try await server.client.send(.get, Paths.scanJob("job")).json
            #expect(current[path: ["spec", "failOn"]] == "info")
        }
    }

    @Test("apply creates, and re-applying the same manifest changes nothing")
    func applyIdempotent() async throws {
        try await withServer { server in
            let uri = Paths.scanJob("site") + "?fieldManager=stageflowctl"
            let first = try await server.client.send(.patch, uri, text: Self.manifest, contentType: Self.applyType)
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json.generation == 1)
            let managed = first.json[path: ["metadata", "managedFields"]]?.arrayValue ?? []
            #expect(managed.first?["manager"] == "stageflowctl")
            #expect(managed.first?["operation"] == "Apply")
            #expect(managed.first?["fieldsType"] == "FieldsV1")

            let second = try await server.client.send(.patch, uri, text: Self.manifest, contentType: Self.applyType)
            #expect(second.status == .ok, "\(second.text)")
            #expect(second.json.resourceVersion == first.json.resourceVersion)
            #expect(second.json.generation == 1)
            #expect(second.json == first.json)
        }
    }

    @Test("apply with a changed spec updates it and bumps generation")
    func applyChanged() async throws {
        try await withServer { server in
            let uri = Paths.scanJob("site") + "?fieldManager=stageflowctl"
            let first = try await server.client.send(.patch, uri, text: Self.manifest, contentType: Self.applyType).json
            let changed = Self.manifest.replacingOccurrences(of: "failOn: serious", with: "failOn: critical")
            let second = try await server.client.send(.patch, uri, text: changed, contentType: Self.applyType)
            #expect(second.status == .ok)
            #expect(second.json[path: ["spec", "failOn"]] == "critical")
            #expect(second.json.generation == 2)
            #expect(second.json.resourceVersion != first.resourceVersion)
        }
    }

    @Test("apply removes fields its manager applied before and no longer applies, and keeps other managers' fields")
    func applyRemovesDroppedFields() async throws {
        try await withServer { server in
            let uri = Paths.scanJob("site") + "?fieldManager=stageflowctl"
            try await server.client.send(.patch, uri, text: Self.manifest, contentType: Self.applyType)
            // Another writer adds a label and a finalizer.
            let other = try await server.client.send(
                .patch, Paths.scanJob("site") + "?fieldManager=controller",
                json: ["metadata": ["labels": ["owner": "controller"], "finalizers": ["stageflow.dev/artifacts"]]],
                contentType: "application/merge-patch+json")
            #expect(other.status == .ok, "\(other.text)")

            let trimmed = Self.manifest.replacingOccurrences(of: "  failOn: serious\n", with: "")
                .replacingOccurrences(of: "failOn: serious", with: "")
                .replacingOccurrences(of: "  labels:\n    team: web\n", with: "")
            let applied = try await server.client.send(.patch, uri, text: trimmed, contentType: Self.applyType)
            #expect(applied.status == .ok, "\(applied.text)")
            #expect(applied.json[path: ["spec", "failOn"]] == nil)
            #expect(applied.json[path: ["metadata", "labels"]] == ["owner": "controller"])
            #expect(applied.json[path: ["metadata", "finalizers"]] == ["stageflow.dev/artifacts"])
            #expect(applied.json.generation == 2)
        }
    }

    @Test("apply refuses to change another manager's field unless forced")
    func applyConflicts() async throws {
        try await withServer { server in
            try await server.client.send(
                .patch, Paths.scanJob("site") + "?fieldManager=first", text: Self.manifest, contentType: Self.applyType)
            let changed = Self.manifest.replacingOccurrences(of: "failOn: serious", with: "failOn: minor")
            let conflict = try await server.client.send(
                .patch, Paths.scanJob("site") + "?fieldManager=second", text: changed, contentType: Self.applyType)
            #expect(conflict.status == .conflict)
            #expect(conflict.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == ".spec.failOn")
            #expect(try await server.client.send(.get, Paths.scanJob("site")).json[path: ["spec", "failOn"]] == "serious")

            let forced = try await server.client.send(
                .patch, Paths.scanJob("site") + "?fieldManager=second&force=true", text: changed, contentType: Self.applyType)
            #expect(forced.status == .ok, "\(forced.text)")
            #expect(forced.json[path: ["spec", "failOn"]] == "minor")
        }
    }

    @Test("apply needs a fieldManager and a valid document, and stores nothing otherwise")
    func applyErrors() async throws {
        try await withServer { server in
            let noManager = try await server.client.send(
                .patch, Paths.scanJob("site"), text: Self.manifest, contentType: Self.applyType)
            #expect(noManager.status == .badRequest)
            let malformed = try await server.client.send(
                .patch, Paths.scanJob("site") + "?fieldManager=m", text: "spec: [unclosed\n  - x: {", contentType: Self.applyType)
            #expect(malformed.status == .badRequest)
            #expect(malformed.json["message"]?.stringValue?.contains("YAML") == true)
            let wrongName = try await server.client.send(
                .patch, Paths.scanJob("other") + "?fieldManager=m", text: Self.manifest, contentType: Self.applyType)
            #expect(wrongName.status == .badRequest)
            let invalid = try await server.client.send(
                .patch, Paths.scanJob("site") + "?fieldManager=m",
                text: Self.manifest.replacingOccurrences(of: "failOn: serious", with: "failOn: whenever"),
                contentType: Self.applyType)
            #expect(invalid.status == .unprocessableContent)
            #expect(try await server.client.scanJobNames().isEmpty)
        }
    }

    @Test("apply of JSON, as kubectl --server-side sends it")
    func applyJSON() async throws {
        try await withServer { server in
            let response = try await server.client.send(
                .patch, Paths.scanJob("site") + "?fieldManager=kubectl&force=false", json: scanJob("site"),
                contentType: Self.applyType)
            #expect(response.status == .created, "\(response.text)")
        }
    }
}
