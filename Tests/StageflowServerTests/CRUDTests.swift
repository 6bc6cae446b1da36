import Foundation
import HummingbirdTesting
import StageflowAPI
import StageflowStore
import Testing

@Suite("CRUD")
struct CRUDTests {
    @Test("create, get, update and delete a ScanJob")
    func lifecycle() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("nightly"))
            #expect(created.generation == 1)
            #expect(created[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false)
            // Schema defaults are applied on create.
            #expect(created[path: ["spec", "deadlines", "scanningSeconds"]] == 1800)

            let fetched = try await server.client.send(.get, Paths.scanJob("nightly"))
            #expect(fetched.status == .ok)
            #expect(fetched.json == created)

            var changed = fetched.json
            changed[path: "spec", "failOn"] = "serious"
            let updated = try await server.client.send(.put, Paths.scanJob("nightly"), json: changed)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(updated.json.generation == 2)
            #expect(updated.json[path: ["spec", "failOn"]] == "serious")

            let deleted = try await server.client.send(.delete, Paths.scanJob("nightly"))
            #expect(deleted.status == .ok)
            #expect(deleted.json["kind"] == "Status")
            #expect(deleted.json["status"] == "Success")
            #expect(deleted.json[path: ["details", "name"]] == "nightly")
            let gone = try await server.client.send(.get, Paths.scanJob("nightly"))
            #expect(gone.status == .notFound)
            #expect(gone.json["reason"] == "NotFound")
        }
    }

    @Test("the namespace comes from the path, and must agree with the body")
    func namespaceFromPath() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("a", namespace: nil), namespace: "team-a")
            #expect(created[path: ["metadata", "namespace"]] == "team-a")
            let mismatch = try await server.client.send(.post, Paths.scanJobs("team-b"), json: scanJob("b", namespace: "team-a"))
            #expect(mismatch.status == .badRequest)
            #expect(try await server.client.scanJobNames("team-b").isEmpty)
            #expect(try await server.client.scanJobNames("team-a") == ["a"])
        }
    }

    @Test("generateName gives a fresh name")
    func generateName() async throws {
        try await withServer { server in
            var manifest = scanJob("x")
            manifest[path: "metadata", "name"] = nil
            manifest[path: "metadata", "generateName"] = "scan-"
            let first = try await server.client.createScanJob(manifest)
            let second = try await server.client.createScanJob(manifest)
            #expect(first.name?.hasPrefix("scan-") == true)
            #expect(first.name?.count == 10)
            #expect(first.name != second.name)
        }
    }

    @Test("creating an existing name is 409 AlreadyExists")
    func createConflict() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("dup"))
            let revision = try await server.client.listRevision()
            let again = try await server.client.send(.post, Paths.scanJobs(), json: scanJob("dup", urls: ["https://other.example/"]))
            #expect(again.status == .conflict)
            #expect(again.json["reason"] == "AlreadyExists")
            #expect(try await server.client.listRevision() == revision)
        }
    }

    @Test("an update with a stale resourceVersion is 409 Conflict and changes nothing")
    func staleUpdate() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("job"))
            var first = created
            first[path: "spec", "failOn"] = "critical"
            #expect(try await server.client.send(.put, Paths.scanJob("job"), json: first).status == .ok)
            var stale = created
            stale[path: "spec", "failOn"] = "minor"
            let response = try await server.client.send(.put, Paths.scanJob("job"), json: stale)
            #expect(response.status == .conflict)
            #expect(response.json["reason"] == "Conflict")
            let current = try await server.client.send(.get, Paths.scanJob("job")).json
            #expect(current[path: ["spec", "failOn"]] == "critical")
        }
    }

    @Test("an update without resourceVersion is refused, as for custom resources in Kubernetes")
    func unconditionalUpdate() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("job"))
            let response = try await server.client.send(.put, Paths.scanJob("job"), json: scanJob("job"))
            #expect(response.status == .unprocessableContent)
            #expect(response.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "metadata.resourceVersion")
        }
    }

    @Test("generation increases on spec changes only")
    func generation() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("job"))
            var labelled = created
            labelled[path: "metadata", "labels"] = ["team": "web"]
            let afterLabels = try await server.client.send(.put, Paths.scanJob("job"), json: labelled).json
            #expect(afterLabels.generation == 1)
            #expect(afterLabels.resourceVersion != created.resourceVersion)

            // A status write (of a job not started yet: a started job's spec is immutable).
            var status = afterLabels
            status["status"] = ["phase": "Pending"]
            let afterStatus = try await server.client.send(.put, Paths.scanJob("job") + "/status", json: status).json
            #expect(afterStatus.generation == 1)

            let patched = try await server.client.send(
                .patch, Paths.scanJob("job"), json: ["spec": ["failOn": "minor"]], contentType: "application/merge-patch+json")
            #expect(patched.json.generation == 2)

            let unchanged = try await server.client.send(.put, Paths.scanJob("job"), json: patched.json)
            #expect(unchanged.json.resourceVersion == patched.json.resourceVersion)
            #expect(unchanged.json.generation == 2)
        }
    }

    @Test("status changes only through /status, and /status changes only status")
    func statusSubresource() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("job"))
            var withStatus = created
            withStatus["status"] = ["phase": "Scanning"]
            withStatus[path: "spec", "failOn"] = "minor"
            let main = try await server.client.send(.put, Paths.scanJob("job"), json: withStatus).json
            #expect(main["status"] == nil)
            #expect(main[path: ["spec", "failOn"]] == "minor")

            var statusWrite = main
            statusWrite["status"] = ["phase": "Scanning"]
            statusWrite[path: "spec", "failOn"] = "critical"
            let status = try await server.client.send(.put, Paths.scanJob("job") + "/status", json: statusWrite)
            #expect(status.status == .ok, "\(status.text)")
            #expect(status.json[path: ["status", "phase"]] == "Scanning")
            #expect(status.json[path: ["spec", "failOn"]] == "minor")

            let fetched = try await server.client.send(.get, Paths.scanJob("job") + "/status").json
            #expect(fetched[path: ["status", "phase"]] == "Scanning")

            let badPhase = try await server.client.send(
                .patch, Paths.scanJob("job") + "/status", json: ["status": ["phase": "Sleeping"]],
                contentType: "application/merge-patch+json")
            #expect(badPhase.status == .unprocessableContent)
        }
    }

    @Test("finalizers keep a deleted object until they are removed")
    func finalizers() async throws {
        try await withServer { server in
            var manifest = scanJob("job")
            manifest[path: "metadata", "finalizers"] = ["stageflow.dev/artifacts"]
            try await server.client.createScanJob(manifest)
            let delete = try await server.client.send(.delete, Paths.scanJob("job"))
            #expect(delete.status == .ok)
            #expect(delete.json["kind"] == "ScanJob")
            #expect(delete.json[path: ["metadata", "deletionTimestamp"]] != nil)
            #expect(try await server.client.send(.get, Paths.scanJob("job")).status == .ok)

            let release = try await server.client.send(
                .patch, Paths.scanJob("job"), json: ["metadata": ["finalizers": nil]],
                contentType: "application/merge-patch+json")
            #expect(release.status == .ok, "\(release.text)")
            #expect(try await server.client.send(.get, Paths.scanJob("job")).status == .notFound)
        }
    }

    @Test("delete preconditions and dry run")
    func deleteOptions() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("job"))
            let wrongUID = try await server.client.send(
                .delete, Paths.scanJob("job"), json: ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "nope"]])
            #expect(wrongUID.status == .conflict)
            let dry = try await server.client.send(.delete, Paths.scanJob("job") + "?dryRun=All")
            #expect(dry.status == .ok)
            #expect(try await server.client.send(.get, Paths.scanJob("job")).status == .ok)
            let precondition: JSONValue = [
                "kind": "DeleteOptions", "apiVersion": "v1",
                "preconditions": ["resourceVersion": .string(created.resourceVersion ?? "")],
            ]
            #expect(try await server.client.send(.delete, Paths.scanJob("job"), json: precondition).status == .ok)
            #expect(try await server.client.send(.get, Paths.scanJob("job")).status == .notFound)
        }
    }

    @Test("dryRun=All stores nothing")
    func dryRun() async throws {
        try await withServer { server in
            let revision = try await server.client.listRevision()
            let response = try await server.client.send(.post, Paths.scanJobs() + "?dryRun=All", json: scanJob("ghost"))
            #expect(response.status == .created)
            #expect(response.json.name == "ghost")
            #expect(try await server.client.scanJobNames().isEmpty)
            #expect(try await server.client.listRevision() == revision)
            let bad = try await server.client.send(.post, Paths.scanJobs() + "?dryRun=Maybe", json: scanJob("ghost"))
            #expect(bad.status == .badRequest)
        }
    }

    @Test("cluster-scoped Scanners live outside namespaces")
    func clusterScoped() async throws {
        try await withServer { server in
            let created = try await server.client.send(.post, Paths.scanners, json: scannerManifest("spelling"))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json[path: ["metadata", "namespace"]] == nil)
            #expect(try await server.client.send(.get, Paths.scanners + "/spelling").status == .ok)
            #expect(try await server.client.send(.get, Paths.group + "/namespaces/default/scanners/spelling").status == .notFound)
            let list = try await server.client.send(.get, Paths.scanners).json
            #expect(list["kind"] == "ScannerList")
            #expect(list["items"]?.arrayValue?.count == 3)
        }
    }

    @Test("deletecollection removes the selected objects")
    func deleteCollection() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("a", labels: ["tier": "web"]))
            try await server.client.createScanJob(scanJob("b", labels: ["tier": "db"]))
            let response = try await server.client.send(.delete, Paths.scanJobs() + "?labelSelector=tier%3Dweb")
            #expect(response.status == .ok)
            #expect(try await server.client.scanJobNames() == ["b"])
        }
    }
}
