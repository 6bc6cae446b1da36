import Foundation
import HummingbirdTesting
import StageflowAPI
import StageflowServer
import StageflowStore
import Testing

@Suite("List and watch")
struct ListWatchTests {
    @Test("label and field selectors filter a list; a bad selector is 400")
    func selectors() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("a", labels: ["env": "prod", "tier": "web"]))
            try await server.client.createScanJob(scanJob("b", labels: ["env": "dev", "tier": "web"]))
            try await server.client.createScanJob(scanJob("c", labels: ["env": "prod"]))
            try await server.client.createScanJob(scanJob("d", namespace: "other"), namespace: "other")

            func names(_ query: String, _ path: String = Paths.scanJobs()) async throws -> [String] {
                let response = try await server.client.send(.get, path + "?" + query)
                #expect(response.status == .ok, "\(response.text)")
                return (response.json["items"]?.arrayValue ?? []).compactMap(\.name)
            }
            #expect(try await names("labelSelector=env%3Dprod") == ["a", "c"])
            #expect(try await names("labelSelector=env+in+(dev,test)") == ["b"])
            #expect(try await names("labelSelector=tier,env!%3Ddev") == ["a"])
            #expect(try await names("labelSelector=!tier") == ["c"])
            #expect(try await names("fieldSelector=metadata.name%3Db") == ["b"])
            #expect(try await names("fieldSelector=metadata.namespace%3Dother", Paths.group + "/scanjobs") == ["d"])
            #expect(try await names("fieldSelector=metadata.name!%3Da") == ["b", "c"])

            let badLabel = try await server.client.send(.get, Paths.scanJobs() + "?labelSelector=env+in+prod")
            #expect(badLabel.status == .badRequest)
            #expect(badLabel.json["kind"] == "Status")
            let badField = try await server.client.send(.get, Paths.scanJobs() + "?fieldSelector=spec.failOn%3Dminor")
            #expect(badField.status == .badRequest)
        }
    }

    @Test("limit and continue page through a list")
    func paging() async throws {
        try await withServer { server in
            for index in 0..<5 { try await server.client.createScanJob(scanJob("job-\(index)")) }
            var names: [String] = []
            var token: String?
            var pages = 0
            repeat {
                var uri = Paths.scanJobs() + "?limit=2"
                if let token { uri += "&continue=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token) }
                let page = try await server.client.send(.get, uri).json
                names += (page["items"]?.arrayValue ?? []).compactMap(\.name)
                token = page[path: ["metadata", "continue"]]?.stringValue
                pages += 1
            } while token != nil && pages < 10
            #expect(names == (0..<5).map { "job-\($0)" })
            #expect(pages == 3)
            let bad = try await server.client.send(.get, Paths.scanJobs() + "?limit=2&continue=garbage")
            #expect(bad.status == .badRequest)
        }
    }

    @Test("a watch from a revision delivers the later events in order")
    func watchFromRevision() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("before"))
            let revision = try await server.client.listRevision()
            let created = try await server.client.createScanJob(scanJob("after"))
            var changed = created
            changed[path: "spec", "failOn"] = "minor"
            try await server.client.send(.put, Paths.scanJob("after"), json: changed)
            try await server.client.send(.delete, Paths.scanJob("before"))

            let response = try await server.client.send(
                .get, Paths.scanJobs() + "?watch=true&resourceVersion=\(revision)&timeoutSeconds=1")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let events = response.events
            #expect(events.map(\.type) == [.added, .modified, .deleted])
            #expect(events.map { $0.object.name ?? "" } == ["after", "after", "before"])
            let revisions = events.compactMap { $0.object.resourceVersion.flatMap { Int($0) } }
            #expect(revisions == revisions.sorted())
        }
    }

    @Test("a watch without a revision starts with the existing objects")
    func watchInitialEvents() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("one"))
            try await server.client.createScanJob(scanJob("two"))
            let response = try await server.client.send(.get, Paths.scanJobs() + "?watch=1&timeoutSeconds=1")
            #expect(response.events.map(\.type) == [.added, .added])
            #expect(response.events.map { $0.object.name ?? "" } == ["one", "two"])
        }
    }

    @Test("watch-list ends the initial events with an annotated bookmark")
    func watchList() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("one"))
            let response = try await server.client.send(
                .get,
                Paths.scanJobs()
                    + "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1"
            )
            let events = response.events
            #expect(events.first?.type == .added)
            #expect(events.dropFirst().first?.type == .bookmark)
            #expect(events.dropFirst().first?.object[path: ["metadata", "annotations", "k8s.io/initial-events-end"]] == "true")
        }
    }

    @Test("an idle watch sends bookmarks when allowed")
    func bookmarks() async throws {
        let configuration = APIServerConfiguration(port: 0, bookmarkInterval: .milliseconds(200))
        try await withServer(configuration: configuration) { server in
            let revision = try await server.client.listRevision()
            let response = try await server.client.send(
                .get, Paths.scanJobs() + "?watch=true&resourceVersion=\(revision)&allowWatchBookmarks=true&timeoutSeconds=4")
            let bookmarks = response.events.filter { $0.type == .bookmark }
            #expect(bookmarks.count >= 2)
            #expect(bookmarks.first?.object["kind"] == "ScanJob")
            #expect(bookmarks.first?.object.resourceVersion == revision)
            let without = try await server.client.send(
                .get, Paths.scanJobs() + "?watch=true&resourceVersion=\(revision)&timeoutSeconds=1")
            #expect(without.events.isEmpty)
        }
    }

    @Test("a watch from a compacted revision gets a 410 Expired ERROR event")
    func expired() async throws {
        let store = ResourceStore.Configuration(retainedRevisions: 1, compactionInterval: nil, pollInterval: .milliseconds(50))
        try await withServer(store: store) { server in
            for index in 0..<4 { try await server.client.createScanJob(scanJob("job-\(index)")) }
            try await server.store.compact()
            let response = try await server.client.send(.get, Paths.scanJobs() + "?watch=true&resourceVersion=1&timeoutSeconds=1")
            #expect(response.status == .ok)
            let events = response.events
            #expect(events.count == 1)
            #expect(events.first?.type == .error)
            #expect(events.first?.object["kind"] == "Status")
            #expect(events.first?.object["code"] == 410)
            #expect(events.first?.object["reason"] == "Expired")
        }
    }

    @Test("a label-selected watch sends DELETED when an object stops matching")
    func selectorTransitions() async throws {
        try await withServer { server in
            let created = try await server.client.createScanJob(scanJob("job", labels: ["env": "prod"]))
            let revision = created.resourceVersion ?? ""
            var relabelled = created
            relabelled[path: "metadata", "labels"] = ["env": "dev"]
            let dev = try await server.client.send(.put, Paths.scanJob("job"), json: relabelled).json
            var back = dev
            back[path: "metadata", "labels"] = ["env": "prod"]
            try await server.client.send(.put, Paths.scanJob("job"), json: back)
            try await server.client.createScanJob(scanJob("other", labels: ["env": "dev"]))

            let response = try await server.client.send(
                .get, Paths.scanJobs() + "?watch=true&labelSelector=env%3Dprod&resourceVersion=\(revision)&timeoutSeconds=1")
            #expect(response.events.map(\.type) == [.deleted, .added])
            #expect(response.events.allSatisfy { $0.object.name == "job" })
        }
    }

    @Test("a watch with a field selector sees only that object")
    func fieldSelectedWatch() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("wanted"))
            try await server.client.createScanJob(scanJob("unwanted"))
            let response = try await server.client.send(
                .get, Paths.scanJobs() + "?watch=true&fieldSelector=metadata.name%3Dwanted&timeoutSeconds=1")
            #expect(response.events.map { $0.object.name ?? "" } == ["wanted"])
        }
    }

    @Test("watch events are Tables when kubectl asks for Tables")
    func tableWatch() async throws {
        try await withServer { server in
            try await server.client.createScanJob(scanJob("one"))
            try await server.client.createScanJob(scanJob("two"))
            let response = try await server.client.send(
                .get, Paths.scanJobs() + "?watch=true&timeoutSeconds=1",
                accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
            let events = response.events
            #expect(events.count == 2)
            #expect(events.allSatisfy { $0.object["kind"] == "Table" })
            #expect(events.first?.object["columnDefinitions"]?.arrayValue?.isEmpty == false)
            #expect(events.last?.object["columnDefinitions"]?.arrayValue?.isEmpty == true)
            #expect(events.last?.object["rows"]?.arrayValue?.first?["cells"]?.arrayValue?.first == "two")
        }
    }
}
