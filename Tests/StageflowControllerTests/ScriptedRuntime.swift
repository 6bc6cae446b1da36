import Foundation
import StageflowRuntime

/// A pod runtime whose containers do what the test says: it records pods, and the test plays the scanners by
/// setting container states. Counts creations so tests can see that nothing is created twice.
final class ScriptedRuntime: PodRuntime, @unchecked Sendable {
    let name = "scripted"
    private let lock = NSLock()
    private var pods: [String: [String: ContainerState]] = [:]
    private var installations: [String: String] = [:]
    private var specs: [String: PodSpec] = [:]
    private var creations: [String: Int] = [:]
    private var logText: [String: String] = [:]
    private var restarts: [String: Int] = [:]
    private var recordedRestarts: [String: [String: Int]] = [:]
    /// When set, every call fails as an unreachable runtime would.
    var unreachable = false
    /// Whether `finish` tells `containerExits` (as the process runtime does) or leaves the exit to the poll.
    var notifiesExits = false

    func ensurePod(_ spec: PodSpec) async throws {
        try check()
        lock.withLock {
            specs[spec.jobUID] = spec
            var containers = pods[spec.jobUID] ?? [:]
            for container in spec.containers where containers[container.name] == nil {
                containers[container.name] = .running
                creations["\(spec.jobUID)/\(container.name)", default: 0] += 1
            }
            pods[spec.jobUID] = containers
            installations[spec.jobUID] = spec.labels[PodSpec.installationLabel]
        }
    }

    let restartsContainers = true
    private let exits = AsyncStream<String>.makeStream()

    /// Tells the controller of every container the test finishes, as the process runtime does.
    func containerExits() -> AsyncStream<String> { exits.stream }

    func restartContainer(_ spec: PodSpec, container: String, restarts count: Int) async throws {
        try check()
        lock.withLock {
            guard let state = pods[spec.jobUID]?[container], state.isFinished else { return }
            pods[spec.jobUID]?[container] = .running
            logText["\(spec.jobUID)/\(container)"] = nil
            restarts["\(spec.jobUID)/\(container)", default: 0] += 1
            recordedRestarts[spec.jobUID, default: [:]][container] = count
        }
    }

    func observe(jobUID: String) async throws -> PodObservation? {
        try check()
        return lock.withLock { pods[jobUID].map { PodObservation(containers: $0, restarts: recordedRestarts[jobUID] ?? [:]) } }
    }

    func logs(jobUID: String, container: String, maxBytes: Int) async throws -> String {
        lock.withLock { String((logText["\(jobUID)/\(container)"] ?? "").suffix(maxBytes)) }
    }

    func stop(jobUID: String, container: String?) async throws {
        try check()
        lock.withLock {
            guard var containers = pods[jobUID] else { return }
            for (name, state) in containers where container == nil || container == name {
                if !state.isFinished { containers[name] = .exited(code: 137, reason: "Killed") }
            }
            pods[jobUID] = containers
        }
    }

    func deletePod(jobUID: String) async throws {
        try check()
        _ = lock.withLock { pods.removeValue(forKey: jobUID) }
    }

    func podJobUIDs(installation: String?) async throws -> [String] {
        lock.withLock { Array(pods.keys.filter { uid in installation == nil || installations[uid] == installation }) }
    }

    /// Plays a pod made by another installation sharing this runtime.
    func addForeignPod(jobUID: String, installation: String) {
        lock.withLock {
            pods[jobUID] = [:]
            installations[jobUID] = installation
        }
    }

    private func check() throws {
        if lock.withLock({ unreachable }) { throw RuntimeError("cannot reach Podman at /run/podman/podman.sock: connection refused") }
    }

    // Test controls.

    func setUnreachable(_ value: Bool) { lock.withLock { unreachable = value } }

    func finish(_ jobUID: String, _ container: String, code: Int32, reason: String? = nil, log: String = "") {
        lock.withLock {
            pods[jobUID]?[container] = .exited(code: code, reason: reason)
            logText["\(jobUID)/\(container)"] = log
        }
        if notifiesExits { exits.continuation.yield(jobUID) }
    }

    func spec(_ jobUID: String) -> PodSpec? { lock.withLock { specs[jobUID] } }
    func hasPod(_ jobUID: String) -> Bool { lock.withLock { pods[jobUID] != nil } }
    func creationCounts() -> [String: Int] { lock.withLock { creations } }
    func restartCount(_ jobUID: String, _ container: String) -> Int { lock.withLock { restarts["\(jobUID)/\(container)", default: 0] } }
}
