import Foundation
import StageflowAPI
import StageflowClient
import StageflowHTTP
import Testing

@Suite("StageflowClient against a fake API", .serialized)
struct StageflowClientTests {
    func client(_ base: String) -> StageflowClient {
        StageflowClient(
            server: URL(string: base)!, token: "t0k",
            http: HTTPClient(configuration: .init(timeout: .seconds(20), useEnvironmentProxy: false)))
    }

    @Test func statusBodiesAreThrownAsAPIStatus() async throws {
        try await LocalServer.with { server in
            do {
                _ = try await client(server.base).get(.scanJob, name: "missing")
                Issue.record("expected NotFound")
            } catch let status as APIStatus {
                #expect(status.code == 404)
                #expect(status.reason == "NotFound")
                #expect(status.message == #"scanjobs.stageflow.dev "missing" not found"#)
            }
        }
    }

    @Test func createErrorsCarryTheServersMessage() async throws {
        try await LocalServer.with { server in
            let object: JSONValue = [
                "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob", "metadata": ["name": "x"],
            ]
            do {
                _ = try await client(server.base).create(object)
                Issue.record("expected Invalid")
            } catch let status as APIStatus {
                #expect(status.reason == "Invalid")
                #expect(status.message.contains("spec.target: Required value"))
            }
        }
    }

    @Test func applySendsAnApplyPatchWithFieldManager() async throws {
        try await LocalServer.with { server in
            let object: JSONValue = [
                "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob", "metadata": ["name": "nightly"],
                "spec": ["target": ["urls": ["https://example.com"]]],
            ]
            let reply = try await client(server.base).apply(object, options: .apply(dryRun: true))
            #expect(reply["method"] == "PATCH")
            #expect(reply["contentType"] == "application/apply-patch+yaml")
            let path = reply["path"]?.stringValue ?? ""
            #expect(path.hasPrefix("/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs/nightly?"))
            #expect(path.contains("fieldManager=stageflowctl"))
            #expect(path.contains("fieldValidation=Strict"))
            #expect(path.contains("dryRun=All"))
            let sent = try JSONValue.parse(reply["body"]?.stringValue ?? "")
            #expect(sent[path: ["metadata", "namespace"]] == "default")
        }
    }

    @Test func listEncodesSelectors() async throws {
        try await LocalServer.with { server in
            let list = try await client(server.base).list(
                .scanJob, namespace: "default", options: ListOptions(labelSelector: try LabelSelector(parsing: "app=web,tier!=db"), limit: 5))
            #expect(list.kind == "ScanJobList")
            #expect(list.metadata.resourceVersion == "10")
        }
    }

    @Test func watchYieldsEventsAndEndsWithTheErrorStatus() async throws {
        try await LocalServer.with { server in
            let events = try await client(server.base).watch(
                .scanJob, namespace: "default", options: ListOptions(resourceVersion: "10"))
            var seen: [String] = []
            do {
                for try await event in events {
                    seen.append("\(event.type.rawValue) \(event.object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")")
                }
                Issue.record("expected the ERROR event to end the stream")
            } catch let status as APIStatus {
                #expect(status.code == 410)
                #expect(status.reason == "Expired")
            }
            #expect(seen == ["ADDED 11", "MODIFIED 12"])
        }
    }

    @Test func unreachableServerIsNamed() async throws {
        let port = try LocalServer.closedPort()
        do {
            _ = try await client("http://127.0.0.1:\(port)").get(.scanJob, name: "x")
            Issue.record("expected a connection failure")
        } catch let error as StageflowClientError {
            #expect(error.isUnreachable)
            #expect(error.description.hasPrefix("cannot reach the Stageflow API at http://127.0.0.1:\(port): "))
        }
    }

    @Test func nonStatusErrorsBecomeStatuses() async throws {
        try await LocalServer.with { server in
            do {
                _ = try await client(server.base).get(.scanJob, name: "x", namespace: "boom")
                Issue.record("expected a failure")
            } catch let status as APIStatus {
                #expect(status.code == 502)
                #expect(status.reason == "Unknown")
                #expect(status.message == "upstream exploded")
            }
        }
    }

    @Test func tablesFallBackToNameAndAge() throws {
        let list: JSONValue = [
            "kind": "ScanJobList", "metadata": ["resourceVersion": "3"],
            "items": [["metadata": ["name": "a", "creationTimestamp": "2026-01-01T00:00:00Z"]]],
        ]
        let table = try StageflowClient.table(from: list)
        #expect(table.columnDefinitions.map(\.name) == ["Name", "Age"])
        #expect(table.rows.first?.cells == ["a", "2026-01-01T00:00:00Z"])
        #expect(table.metadata?.resourceVersion == "3")
    }
}
