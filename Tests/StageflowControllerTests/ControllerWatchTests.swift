import Foundation
import Logging
import StageflowAPI
import StageflowController
import Testing

/// Secondary watches: changes of objects a controller does not reconcile map to the keys it does.
@Suite("Controller watches", .timeLimit(.minutes(1)))
struct ControllerWatchTests {
    final class Keys: Reconciler, @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [ObjectName] = []
        var names: [String] { lock.withLock { seen.map(\.description) } }
        func reconcile(_ key: ObjectName) async throws -> ReconcileResult {
            lock.withLock { seen.append(key) }
            return .done
        }
    }

    static func job(_ name: String, owner: String? = nil, schedule: String? = nil, revision: Int64) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name), "namespace": "default", "uid": .string("u-\(name)"), "resourceVersion": .string(String(revision))]
        if let owner {
            metadata["ownerReferences"] = [[
                "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanSchedule", "name": .string(owner), "uid": "u-owner", "controller": true,
            ]]
        }
        if let schedule { metadata["labels"] = ["stageflow.dev/schedule": .string(schedule)] }
        return ["apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob", "metadata": .object(metadata)]
    }

    @Test("by controller owner reference, and by label; an update tells the primary it left as well")
    func ownedAndLabeled() async throws {
        let client = ScriptedClient()
        client.answerList([Self.job("owned", owner: "nightly", revision: 1), Self.job("labelled", schedule: "weekly", revision: 2), Self.job("plain", revision: 3)], revision: 10)
        let informer = Informer(client: client, kind: .scanJob, resyncInterval: nil, logger: Logger(label: "test"))
        let keys = Keys()
        let controller = Controller<ObjectName>(name: "schedules", reconciler: keys, logger: Logger(label: "test"))
        controller.watchOwned(informer, ownerKind: .scanSchedule)
        controller.watchLabeled(informer, label: "stageflow.dev/schedule")
        let informing = Task { await informer.run() }
        let running = Task { try await controller.run() }
        await eventually { Set(keys.names) == ["default/nightly", "default/weekly"] }
        await eventually { client.watchCount == 1 }
        client.currentWatch?.yield(WatchEvent(type: .modified, object: Self.job("labelled", schedule: "daily", revision: 11)))
        await eventually { keys.names.contains("default/daily") && keys.names.filter { $0 == "default/weekly" }.count == 2 }
        #expect(!keys.names.contains("default/plain"), "objects naming no primary enqueue nothing")
        running.cancel()
        informing.cancel()
        try await running.value
        await informing.value
    }
}
