import Foundation
import Logging
import StageflowAPI
@testable import StageflowServer
import StageflowStore
import Testing

/// Core v1 Events: written by controllers, selected by the object they are about, shown as a table, expired.
@Suite("Events")
struct EventTests {
    static let path = "/api/v1/namespaces/default/events"

    static func event(_ name: String, about object: String, uid: String = "uid-1", type: String = "Normal", count: Int64 = 1) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name), "namespace": "default"],
            "involvedObject": [
                "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob", "name": .string(object), "namespace": "default",
                "uid": .string(uid),
            ],
            "reason": "Completed", "message": "report ready", "type": .string(type), "count": .int(count),
            "firstTimestamp": "2026-01-01T10:00:00Z", "lastTimestamp": "2026-01-01T10:05:00Z",
            "source": ["component": "stageflow-controller"], "unknownField": "dropped",
        ]
    }

    @Test("created, read back by the field selector kubectl describe sends, updated, listed as a table, deleted")
    func lifecycle() async throws {
        try await withServer { server in
            let created = try await server.client.send(.post, Self.path, json: Self.event("homepage.1", about: "homepage"))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["unknownField"] == nil)
            #expect(created.json["apiVersion"] == "v1")
            try await server.client.send(.post, Self.path, json: Self.event("other.1", about: "other", uid: "uid-2"))

            let selector = "involvedObject.name%3Dhomepage,involvedObject.namespace%3Ddefault,involvedObject.kind%3DScanJob,involvedObject.uid%3Duid-1"
            let list = try await server.client.send(.get, "\(Self.path)?fieldSelector=\(selector)&limit=500").json
            #expect(list["kind"] == "EventList")
            #expect(list["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["homepage.1"])
            let bySource = try await server.client.send(.get, "\(Self.path)?fieldSelector=source%3Dstageflow-controller").json
            #expect(bySource["items"]?.arrayValue?.count == 2)
            let unsupported = try await server.client.send(.get, "\(Self.path)?fieldSelector=spec.x%3Dy")
            #expect(unsupported.status == .badRequest)

            var repeated = created.json
            repeated["count"] = 7
            let updated = try await server.client.send(.put, "\(Self.path)/homepage.1", json: repeated)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try await server.client.send(.get, "\(Self.path)/homepage.1").json["count"] == 7)

            let table = try await server.client.send(.get, Self.path, accept: "application/json;as=Table;v=v1;g=meta.k8s.io").json
            let columns = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(columns == ["Name", "Last Seen", "Type", "Reason", "Object Kind", "Object", "Count", "Message"])

            #expect(try await server.client.send(.delete, "\(Self.path)/homepage.1").status == .ok)
            #expect(try await server.client.send(.get, "\(Self.path)/homepage.1").status == .notFound)
        }
    }

    @Test("an event without its object, or with an unknown type, is 422 naming each field")
    func badEvents() async throws {
        try await withServer { server in
            var event = Self.event("bad.1", about: "homepage", type: "Fatal")
            event["involvedObject"] = ["kind": "ScanJob"]
            let response = try await server.client.send(.post, Self.path, json: event)
            #expect(response.status == .unprocessableContent)
            let fields = Set(response.json[path: ["details", "causes"]]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
            #expect(fields == ["involvedObject.name", "type"])
            let elsewhere = try await server.client.send(
                .post, "/api/v1/namespaces/other/events", json: Self.event("x.1", about: "homepage"))
            #expect(elsewhere.status == .unprocessableContent, "an event lives in its object's namespace")
        }
    }

    @Test("events expire an hour after they were last seen, repeating ones live on")
    func expiry() async throws {
        let store = ResourceStore(backend: MemoryBackend(), configuration: testStoreConfiguration)
        try await store.start()
        var old = Self.event("old.1", about: "a")
        old["lastTimestamp"] = "2026-01-01T10:00:00Z"
        var recent = Self.event("recent.1", about: "b")
        recent["lastTimestamp"] = "2026-01-01T10:59:00Z"
        _ = try await store.create(.event, old)
        _ = try await store.create(.event, recent)
        let expiry = EventExpiry(store: store, ttl: .seconds(3600), interval: .seconds(60), logger: Logger(label: "test"))
        let deleted = await expiry.expire(now: Timestamp.date("2026-01-01T11:30:00Z")!)
        #expect(deleted == 1)
        let names = try await store.list(.event, namespace: nil).items.compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        #expect(names == ["recent.1"])
        await store.shutdown()
    }
}
