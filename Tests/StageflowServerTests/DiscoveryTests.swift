import Foundation
import HummingbirdTesting
import StageflowAPI
import Testing

@Suite("Discovery, Tables and health")
struct DiscoveryTests {
    @Test("discovery documents describe the group and its resources")
    func discovery() async throws {
        try await withServer { server in
            let api = try await server.client.send(.get, "/api").json
            #expect(api["kind"] == "APIVersions")
            #expect(api["versions"] == ["v1"])
            #expect(try await server.client.send(.get, "/api/v1").json["kind"] == "APIResourceList")

            let aggregated = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
            let groups = try await server.client.send(.get, "/apis", accept: aggregated)
            #expect(groups.headers[.contentType] == "application/json")
            #expect(groups.json["kind"] == "APIGroupList")
            let group = groups.json["groups"]?.arrayValue?.first
            #expect(group?["name"] == "stageflow.dev")
            #expect(group?[path: ["preferredVersion", "groupVersion"]] == "stageflow.dev/v1alpha1")
            #expect(try await server.client.send(.get, "/apis/stageflow.dev").json["kind"] == "APIGroup")

            let resources = try await server.client.send(.get, Paths.group).json
            #expect(resources["groupVersion"] == "stageflow.dev/v1alpha1")
            let entries = resources["resources"]?.arrayValue ?? []
            let names = entries.compactMap { $0["name"]?.stringValue }
            for name in ["scanjobs", "scanjobs/status", "scanschedules", "scanschedules/status", "scanners", "scanners/status"] {
                #expect(names.contains(name), "\(name)")
            }
            let scanJobs = entries.first { $0["name"] == "scanjobs" }
            #expect(scanJobs?["kind"] == "ScanJob")
            #expect(scanJobs?["namespaced"] == true)
            #expect(scanJobs?["shortNames"] == ["sj"])
            #expect(scanJobs?["verbs"]?.arrayValue?.contains("watch") == true)
            #expect(entries.first { $0["name"] == "scanners" }?["namespaced"] == false)
        }
    }

    @Test("/version, OpenAPI and events answer as kubectl expects")
    func versionAndOpenAPI() async throws {
        try await withServer { server in
            let version = try await server.client.send(.get, "/version").json
            #expect(version["major"] == "1")
            #expect(version["gitVersion"]?.stringValue?.hasPrefix("v1.") == true)
            let v2 = try await server.client.send(.get, "/openapi/v2", accept: "application/json")
            #expect(v2.status == .ok)
            #expect(v2.json["swagger"] == "2.0")
            let protobuf = try await server.client.send(
                .get, "/openapi/v2", accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
            #expect(protobuf.headers[.contentType]?.contains("protobuf") == true)
            #expect(protobuf.body.readableBytes > 0)
            let v3 = try await server.client.send(.get, "/openapi/v3").json
            let url = v3[path: ["paths", "apis/stageflow.dev/v1alpha1", "serverRelativeURL"]]?.stringValue
            #expect(url != nil)
            let document = try await server.client.send(.get, url ?? "/openapi/v3/apis/stageflow.dev/v1alpha1")
            #expect(document.status == .ok)
            #expect(document.json["openapi"]?.stringValue?.hasPrefix("3.") == true)
            let events = try await server.client.send(.get, "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dx")
            #expect(events.json["kind"] == "EventList")
            #expect(events.json["items"] == [])
            let eventWatch = try await server.client.send(.get, "/api/v1/namespaces/default/events?watch=true&timeoutSeconds=1")
            #expect(eventWatch.status == .ok)
            #expect(eventWatch.events.isEmpty)
            let metadataOnly = try await server.client.send(
                .get, Paths.scanJobs(), accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io")
            #expect(metadataOnly.json["kind"] == "PartialObjectMetadataList")
        }
    }

    @Test("kubectl's Table request gets a Table with the printer columns")
    func tables() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("one", labels: ["team": "web"]))
            var two = try await server.client.createScanJob(scanJob("two"))
            two["status"] = ["phase": "Scanning", "summary": ["score": 87.5]]
            #expect(try await server.client.send(.put, Paths.scanJob("two") + "/status", json: two).status == .ok)

            let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
            let list = try await server.client.send(.get, Paths.scanJobs() + "?limit=500", accept: accept)
            #expect(list.status == .ok)
            let table = list.json
            #expect(table["kind"] == "Table")
            #expect(table["apiVersion"] == "meta.k8s.io/v1")
            #expect(table[path: ["metadata", "resourceVersion"]] != nil)
            let columns = (table["columnDefinitions"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(columns.first == "Name")
            #expect(columns.contains("Phase"))
            #expect(columns.last == "Age")
            #expect(table["columnDefinitions"]?.arrayValue?.first?["format"] == "name")
            let rows = table["rows"]?.arrayValue ?? []
            #expect(rows.count == 2)
            let cells = rows.last?["cells"]?.arrayValue ?? []
            #expect(cells.first == "two")
            #expect(cells[columns.firstIndex(of: "Phase") ?? 0] == "Scanning")
            #expect(cells[columns.firstIndex(of: "Score") ?? 0] == 87.5)
            #expect(rows.first?["cells"]?.arrayValue?[columns.firstIndex(of: "Phase") ?? 0] == .null)
            let age = cells.last?.stringValue ?? ""
            #expect(age.hasSuffix("s"), "\(age)")
            #expect(rows.first?[path: ["object", "kind"]] == "PartialObjectMetadata")
            #expect(rows.first?[path: ["object", "metadata", "labels", "team"]] == "web")

            let single = try await server.client.send(.get, Paths.scanJob("one") + "?includeObject=Object", accept: accept).json
            #expect(single["rows"]?.arrayValue?.count == 1)
            #expect(single["rows"]?.arrayValue?.first?[path: ["object", "kind"]] == "ScanJob")

            let beta = try await server.client.send(
                .get, Paths.scanJobs(), accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io").json
            #expect(beta["apiVersion"] == "meta.k8s.io/v1beta1")
            let unacceptable = try await server.client.send(.get, Paths.scanJobs(), accept: "application/vnd.kubernetes.protobuf")
            #expect(unacceptable.status == .notAcceptable)
        }
    }

    @Test("health endpoints and metrics")
    func healthAndMetrics() async throws {
        try await withServer(.live) { server in
            #expect(try await server.client.send(.get, "/livez").text == "ok")
            #expect(try await server.client.send(.get, "/healthz").text == "ok")
            let ready = try await server.client.send(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.text == "ok")
            try await server.client.createScanJob(scanJob("job"))
            let metrics = try await server.client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("apiserver_request_total"))
            #expect(metrics.text.contains("verb=\"CREATE\""))
            #expect(metrics.text.contains("apiserver_request_duration_seconds"))
        }
    }

    @Test("readyz is 503 until the server is serving")
    func notReady() async throws {
        try await withServer { server in
            let response = try await server.client.send(.get, "/readyz")
            #expect(response.status == .serviceUnavailable)
            server.server.readiness.markServing()
            #expect(try await server.client.send(.get, "/readyz").status == .ok)
        }
    }
}
