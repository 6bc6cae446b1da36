import Foundation
import StageflowAPI
import StageflowStore
import Testing

/// The store contract, run against every backend.
@Suite("Store conformance")
struct StoreConformanceTests {
    @Test("create assigns uid, generation and revision, and drops status", arguments: BackendKind.allCases)
    func create(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            let created = try await store.create(.scanJob, scanJob("a").setting(["status"], ["phase": "Done"]))
            #expect(created.generation == 1)
            #expect(created.revision > 0)
            #expect(created[path: ["metadata", "uid"]]?.stringValue?.count == 36)
            #expect(created[path: ["metadata", "creationTimestamp"]] != nil)
            #expect(created["status"] == nil)
            let fetched = try await store.get(.scanJob, namespace: "default", name: "a")
            #expect(fetched == created)
        }
    }

    @Test("create of an existing name is 409 AlreadyExists", arguments: BackendKind.allCases)
    func createConflict(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            _ = try await store.create(.scanJob, scanJob("a"))
            let revision = try await store.currentRevision()
            let error = await #expect(throws: APIStatus.self) { try await store.create(.scanJob, scanJob("a")) }
            #expect(error?.code == 409)
            #expect(error?.reason == "AlreadyExists")
            #expect(try await store.currentRevision() == revision)
        }
    }

    @Test("the same name in another namespace is another object", arguments: BackendKind.allCases)
    func namespaces(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            _ = try await store.create(.scanJob, scanJob("a", namespace: "one"))
            _ = try await store.create(.scanJob, scanJob("a", namespace: "two"))
            #expect(try await store.list(.scanJob, namespace: "one").items.count == 1)
            #expect(try await store.list(.scanJob, namespace: nil).items.count == 2)
            await #expect(throws: APIStatus.self) { try await store.get(.scanJob, namespace: "three", name: "a") }
        }
    }

    @Test("update with a stale resourceVersion is 409 Conflict and changes nothing", arguments: BackendKind.allCases)
    func staleUpdate(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            let first = try await store.create(.scanJob, scanJob("a"))
            let second = try await store.update(.scanJob, first.setting(["metadata", "labels"], ["team": "web"]))
            #expect(second.revision > first.revision)
            let error = await #expect(throws: APIStatus.self) {
                try await store.update(.scanJob, first.setting(["metadata", "labels"], ["team": "seo"]))
            }
            #expect(error?.code == 409)
            #expect(error?.reason == "Conflict")
            let stored = try await store.get(.scanJob, namespace: "default", name: "a")
            #expect(stored == second)
            let deleteError = await #expect(throws: APIStatus.self) {
                try await store.delete(.scanJob, namespace: "default", name: "a", preconditions: .init(resourceVersion: first.revision))
            }
            #expect(deleteError?.code == 409)
        }
    }

    @Test("generation increases only when spec changes", arguments: BackendKind.allCases)
    func generation(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            let created = try await store.create(.scanJob, scanJob("a"))
            let relabelled = try await store.update(.scanJob, created.setting(["metadata", "labels"], ["x": "y"]))
            #expect(relabelled.generation == 1)
            let withStatus = try await store.update(.scanJob, relabelled.setting(["status"], ["phase": "Pending"]), subresource: .status)
            #expect(withStatus.generation == 1)
            let respecced = try await store.update(
                .scanJob, withStatus.setting(["spec", "target", "urls"], ["https://example.org/"]))
            #expect(respecced.generation == 2)
            let unchanged = try await store.update(.scanJob, respecced)
            #expect(unchanged.revision == respecced.revision)
            #expect(unchanged.generation == 2)
        }
    }

    @Test("status changes only through the status subresource", arguments: BackendKind.allCases)
    func statusSubresource(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            let created = try await store.create(.scanJob, scanJob("a"))
            let mainWrite = try await store.update(.scanJob, created.setting(["status"], ["phase": "Done"]))
            #expect(mainWrite["status"] == nil)
            let statusWrite = try await store.update(
                .scanJob,
                created.setting(["status"], ["phase": "Scanning"]).setting(["spec", "target", "urls"], ["https://changed.example/"]),
                subresource: .status)
            #expect(statusWrite[path: ["status", "phase"]] == "Scanning")
            #expect(statusWrite[path: ["spec", "target", "urls"]] == ["https://example.com/"])
            #expect(statusWrite.generation == 1)
        }
    }

    @Test("finalizers hold a delete until the last one is removed", arguments: BackendKind.allCases)
    func finalizers(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            let created = try await store.create(
                .scanJob, scanJob("a").setting(["metadata", "finalizers"], ["stageflow.dev/cleanup"]))
            let watch = try await store.watch(.scanJob, namespace: "default", from: created.revision)
            let outcome = try await store.delete(.scanJob, namespace: "default", name: "a")
            guard case .pending(let marked) = outcome else {
                Issue.record("expected the delete to wait for the finalizer, got \(outcome)")
                return
            }
            #expect(marked[path: ["metadata", "deletionTimestamp"]] != nil)
            let again = try await store.delete(.scanJob, namespace: "default", name: "a")
            #expect(again == .pending(marked))
            let stillThere = try await store.get(.scanJob, namespace: "default", name: "a")
            _ = try await store.update(.scanJob, stillThere.setting(["metadata", "finalizers"], nil))
            await #expect(throws: APIStatus.self) { try await store.get(.scanJob, namespace: "default", name: "a") }
            let events = try await collect(2, from: watch)
            #expect(events.map(\.type) == [.modified, .deleted])
        }
    }

    @Test("a watch delivers every later change in order", arguments: BackendKind.allCases)
    func watchOrder(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            let start = try await store.currentRevision()
            let watch = try await store.watch(.scanJob, namespace: nil, from: start)
            var expected: [(WatchEvent.EventType, String)] = []
            for index in 0..<20 {
                let object = try await store.create(.scanJob, scanJob("job-\(index)"))
                expected.append((.added, "job-\(index)"))
                if index % 3 == 0 {
                    _ = try await store.update(.scanJob, object.setting(["metadata", "labels"], ["n": .string("\(index)")]))
                    expected.append((.modified, "job-\(index)"))
                }
                if index % 5 == 0 {
                    _ = try await store.delete(.scanJob, namespace: "default", name: "job-\(index)")
                    expected.append((.deleted, "job-\(index)"))
                }
            }
            _ = try await store.create(.scanSchedule, scanJob("not-a-job"))
            let events = try await collect(expected.count, from: watch)
            #expect(events.map(\.type) == expected.map(\.0))
            #expect(events.map(\.object.name) == expected.map(\.1))
            let revisions = events.map(\.revision)
            #expect(revisions == revisions.sorted() && Set(revisions).count == revisions.count)
            #expect(events.allSatisfy { $0.object.revision == $0.revision })
        }
    }

    @Test("a watch resumes from any retained revision", arguments: BackendKind.allCases)
    func watchResume(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            var revisions: [Int64] = []
            for index in 0..<10 {
                revisions.append(try await store.create(.scanJob, scanJob("job-\(index)")).revision)
            }
            let watch = try await store.watch(.scanJob, namespace: nil, from: revisions[4])
            let events = try await collect(5, from: watch)
            #expect(events.map(\.object.name) == (5..<10).map { "job-\($0)" })
        }
    }

    @Test("a watch without a revision starts with the current objects", arguments: BackendKind.allCases)
    func watchInitial(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            _ = try await store.create(.scanJob, scanJob("a"))
            _ = try await store.create(.scanJob, scanJob("b", namespace: "other"))
            let watch = try await store.watch(.scanJob, namespace: "default", from: nil)
            _ = try await store.create(.scanJob, scanJob("c"))
            let events = try await collect(2, from: watch)
            #expect(events.map(\.type) == [.added, .added])
            #expect(events.map(\.object.name) == ["a", "c"])
        }
    }

    @Test("a watch from a compacted revision is 410 Expired; compaction keeps a bounded log", arguments: BackendKind.allCases)
    func compaction(backend: BackendKind) async throws {
        let configuration = ResourceStore.Configuration(retainedRevisions: 5, compactionInterval: nil)
        try await withStore(backend, configuration: configuration) { store in
            var first: Int64 = 0
            for index in 0..<30 {
                let created = try await store.create(.scanJob, scanJob("job-\(index)"))
                if index == 0 { first = created.revision }
            }
            try await store.compact()
            let compacted = try await store.backend.compactedRevision()
            #expect(compacted >= 25 - 1 + first - 1)
            let remaining = try await store.backend.events(after: 0, limit: 1000)
            #expect(remaining.count <= 5)
            let error = await #expect(throws: APIStatus.self) {
                let watch = try await store.watch(.scanJob, namespace: nil, from: first)
                _ = try await collect(1, from: watch)
            }
            #expect(error?.code == 410)
            #expect(error?.reason == "Expired")
            let recent = try await store.watch(.scanJob, namespace: nil, from: try await store.currentRevision() - 2)
            #expect(try await collect(2, from: recent).count == 2)
        }
    }

    @Test("concurrent writers never lose an update", arguments: BackendKind.allCases)
    func concurrentWriters(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            _ = try await store.create(.scanJob, scanJob("counter").setting(["metadata", "annotations"], ["count": "0"]))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        for _ in 0..<25 {
                            _ = try await store.modify(.scanJob, namespace: "default", name: "counter") { current in
                                let count = Int(current[path: ["metadata", "annotations", "count"]]?.stringValue ?? "0") ?? 0
                                return current.setting(["metadata", "annotations", "count"], .string(String(count + 1)))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await store.get(.scanJob, namespace: "default", name: "counter")
            #expect(final[path: ["metadata", "annotations", "count"]] == "200")
        }
    }

    @Test("paged LIST with selectors returns every match once", arguments: BackendKind.allCases)
    func pagedList(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            for index in 0..<25 {
                _ = try await store.create(
                    .scanJob, scanJob(String(format: "job-%02d", index), labels: ["parity": index % 2 == 0 ? "even" : "odd"]))
            }
            var names: [String] = []
            var options = ListOptions(labelSelector: try LabelSelector(parsing: "parity=even"), limit: 4)
            var pages = 0
            var listRevision: Int64?
            repeat {
                let page = try await store.list(.scanJob, namespace: "default", options: options)
                names += page.items.map(\.name)
                if let listRevision { #expect(page.resourceVersion == listRevision) }
                listRevision = page.resourceVersion
                options.continueToken = page.continueToken
                pages += 1
            } while options.continueToken != nil && pages < 20
            #expect(names == stride(from: 0, to: 25, by: 2).map { String(format: "job-%02d", $0) })
            let byName = try await store.list(
                .scanJob, namespace: nil, options: ListOptions(fieldSelector: try FieldSelector(parsing: "metadata.name=job-03")))
            #expect(byName.items.map(\.name) == ["job-03"])
        }
    }

    @Test("cluster-scoped objects have no namespace", arguments: BackendKind.allCases)
    func clusterScoped(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            let manifest: JSONValue = [
                "apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner",
                "metadata": ["name": "axe", "namespace": "ignored"],
                "spec": ["id": "axe", "version": "1.0.0", "entry": ["builtin": "axe"]],
            ]
            let created = try await store.create(.scanner, manifest)
            #expect(created[path: ["metadata", "namespace"]] == nil)
            #expect(try await store.get(.scanner, namespace: "whatever", name: "axe") == created)
        }
    }
}

@Suite("Watch idling")
struct WatchIdleTests {
    @Test("an idle watch reports nothing within its wait, then still delivers later changes", arguments: BackendKind.allCases)
    func idle(backend: BackendKind) async throws {
        try await withStore(backend) { store in
            let start = try await store.currentRevision()
            var iterator = try await store.watch(.scanJob, namespace: nil, from: start).makeAsyncIterator()
            let nothing = try await iterator.next(waitingAtMost: .milliseconds(200))
            #expect(nothing == nil)
            _ = try await store.create(.scanJob, scanJob("late"))
            let event = try await iterator.next(waitingAtMost: .seconds(30))
            #expect(event?.object.name == "late")
        }
    }
}
