import Foundation
import StageflowAPI
import StageflowStore
import Testing

@testable import StageflowServer

@Suite("Server building blocks")
struct UnitTests {
    @Test(
        "ages read as kubectl shows them",
        arguments: [
            (0.0, "0s"), (-1.5, "0s"), (-5, "<invalid>"), (119, "119s"), (120, "2m"), (150, "2m30s"), (600, "10m"),
            (3 * 3600, "3h"), (3.5 * 3600, "3h30m"), (8 * 3600, "8h"), (47 * 3600, "47h"), (48 * 3600, "2d"),
            (53 * 3600, "2d5h"), (10 * 86400, "10d"), (800 * 86400, "2y70d"), (9 * 365 * 86400, "9y"),
        ] as [(Double, String)])
    func humanDuration(seconds: Double, expected: String) {
        #expect(HumanDuration.format(seconds) == expected)
    }

    @Test("kubectl's Accept header asks for a v1 Table; protobuf alone is not acceptable")
    func negotiation() {
        let kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
        #expect(ResponseShape(accept: kubectl) == .table(version: "v1"))
        #expect(ResponseShape(accept: "application/json;as=Table;v=v1beta1;g=meta.k8s.io") == .table(version: "v1beta1"))
        #expect(ResponseShape(accept: "application/vnd.kubernetes.protobuf, application/json") == .object)
        #expect(ResponseShape(accept: nil) == .object)
        #expect(ResponseShape(accept: "*/*") == .object)
        #expect(ResponseShape(accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io") == .partialMetadata(version: "v1"))
        #expect(ResponseShape(accept: "application/vnd.kubernetes.protobuf") == nil)
        #expect(ResponseShape(accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList") == nil)
    }

    @Test("query strings decode as Go encodes them")
    func query() throws {
        let query = QueryParameters("labelSelector=env+in+%28a%2Cb%29&watch&dryRun=All&dryRun=All&limit=5")
        #expect(query["labelSelector"] == "env in (a,b)")
        #expect(try query.bool("watch"))
        #expect(query.all("dryRun") == ["All", "All"])
        #expect(try query.integer("limit") == 5)
        #expect(throws: APIStatus.self) { try QueryParameters("limit=-1").integer("limit") }
    }

    @Test("paths name the right targets")
    func routing() {
        #expect(RequestTarget(path: "/apis/stageflow.dev/v1alpha1/namespaces/a/scanjobs") == .collection(.scanJob, namespace: "a"))
        #expect(RequestTarget(path: "/apis/stageflow.dev/v1alpha1/scanjobs") == .collection(.scanJob, namespace: nil))
        #expect(
            RequestTarget(path: "/apis/stageflow.dev/v1alpha1/namespaces/a/scanjobs/x/status")
                == .object(.scanJob, namespace: "a", name: "x", subresource: .status))
        #expect(RequestTarget(path: "/apis/stageflow.dev/v1alpha1/scanners/axe") == .object(.scanner, namespace: nil, name: "axe", subresource: .main))
        #expect(RequestTarget(path: "/apis/stageflow.dev/v1alpha1/namespaces/a/scanners/axe") == .notFound)
        #expect(RequestTarget(path: "/apis/stageflow.dev/v1alpha1/scanjobs/x") == .notFound)
        #expect(RequestTarget(path: "/apis/stageflow.dev/v1alpha1/namespaces/a/scanjobs/x/logs") == .notFound)
        #expect(RequestTarget(path: "/api/v1/namespaces/a/events") == .collection(.event, namespace: "a"))
        #expect(RequestTarget(path: "/api/v1/namespaces/a/events/x.1") == .object(.event, namespace: "a", name: "x.1", subresource: .main))
        #expect(RequestTarget(path: "/api/v1/events") == .collection(.event, namespace: nil))
        #expect(RequestTarget(path: "/apis/events.k8s.io/v1/events") == .events(apiVersion: "events.k8s.io/v1"))
        #expect(RequestTarget(path: "/openapi/v3/apis/stageflow.dev/v1alpha1") == .openAPIV3(groupVersion: "apis/stageflow.dev/v1alpha1"))
    }

    @Test("field sets round-trip through FieldsV1")
    func fieldSets() {
        let object: JSONValue = ["spec": ["target": ["urls": ["https://a/"]], "failOn": "minor"], "metadata": ["labels": ["a": "1"]]]
        var set = FieldSet.of(object)
        set.remove(["metadata"])
        let encoded = set.fieldsV1
        #expect(encoded[path: ["f:spec", "."]] == [:])
        #expect(encoded[path: ["f:spec", "f:target", "f:urls"]] == [:])
        #expect(encoded[path: ["f:metadata", "."]] == nil)
        #expect(encoded[path: ["f:metadata", "f:labels", "f:a"]] == [:])
        #expect(FieldSet(fieldsV1: encoded) == set)
    }

    @Test("changes list what a write set and what it removed")
    func changes() {
        let old: JSONValue = ["spec": ["failOn": "minor", "suspend": true, "crawl": ["maxPages": 5]]]
        let new: JSONValue = ["spec": ["failOn": "serious", "suspend": true, "baselineRef": ["name": "x"]]]
        let (changed, removed) = FieldSet.changes(from: old, to: new)
        #expect(changed.paths == [["spec", "failOn"], ["spec", "baselineRef"], ["spec", "baselineRef", "name"]])
        #expect(removed.paths == [["spec", "crawl"], ["spec", "crawl", "maxPages"]])
    }

    @Test("a label-selected watch turns selector transitions into ADDED and DELETED")
    func watchFilter() throws {
        var filter = WatchFilter(options: ListOptions(labelSelector: try LabelSelector(parsing: "env=prod")))
        func object(_ env: String) -> JSONValue { ["metadata": ["name": "a", "namespace": "n", "labels": ["env": .string(env)]]] }
        #expect(filter.translate(StoreEvent(type: .added, object: object("dev"), revision: 1)) == nil)
        #expect(filter.translate(StoreEvent(type: .modified, object: object("prod"), revision: 2))?.type == .added)
        #expect(filter.translate(StoreEvent(type: .modified, object: object("prod"), revision: 3))?.type == .modified)
        #expect(filter.translate(StoreEvent(type: .modified, object: object("dev"), revision: 4))?.type == .deleted)
        #expect(filter.translate(StoreEvent(type: .deleted, object: object("dev"), revision: 5)) == nil)
    }
}
