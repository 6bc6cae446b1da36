import Foundation
import StageflowObjectStore
import StageflowReport
import StageflowRuntime

/// A pod runtime whose containers finish at once, each having written an empty successful `results.json`: it
/// measures the controller alone.
final class InstantRuntime: PodRuntime, @unchecked Sendable {
    let name = "instant"
    private let objects: any ObjectStore
    private let lock = NSLock()
    private var pods: [String: [String: ContainerState]] = [:]
    private let results: Data

    init(objects: any ObjectStore) {
        self.objects = objects
        results = (try? JSONEncoder().encode(ScannerResults(scanner: "noop", status: .success))) ?? Data()
    }

    func ensurePod(_ spec: PodSpec) async throws {
        for container in spec.containers {
            try await objects.put("artifacts/\(spec.jobUID)/\(container.name)/results.json", data: results, contentType: "application/json")
        }
        lock.withLock {
            pods[spec.jobUID] = Dictionary(spec.containers.map { ($0.name, ContainerState.exited(code: 0, reason: nil)) }, uniquingKeysWith: { a, _ in a })
        }
    }

    func observe(jobUID: String) async throws -> PodObservation? {
        lock.withLock { pods[jobUID].map { PodObservation(containers: $0) } }
    }

    let restartsContainers = false
    func containerExits() -> AsyncStream<String> { AsyncStream { $0.finish() } }
    func restartContainer(_ spec: PodSpec, container: String, restarts: Int) async throws {}
    func logs(jobUID: String, container: String, maxBytes: Int) async throws -> String { "" }
    func stop(jobUID: String, container: String?) async throws {}

    func deletePod(jobUID: String) async throws {
        _ = lock.withLock { pods.removeValue(forKey: jobUID) }
    }

    func podJobUIDs(installation: String?) async throws -> [String] { lock.withLock { Array(pods.keys) } }
}
