import Foundation
import Logging

/// The embedded default runtime: each container is a local process group started through `/bin/sh` so that it
/// outlives a controller crash. Its state lives in files under `<root>/<job-uid>/<container>/` — `pid`,
/// `exit-code`, `output.log` — so a restarted controller observes exactly what ran.
///
/// Limits: memory through `ulimit -d` (the data limit; a process over it fails to allocate and exits non-zero,
/// reported as `MemoryLimitExceeded` when its output says so), time through `timeout --foreground -s KILL`.
public struct ProcessRuntime: PodRuntime {
    public let name = "process"
    /// Directory holding one folder per job.
    public let root: URL
    private let logger: Logger
    private let exits = ContainerExitNotifier()

    /// A runtime keeping its state under `root`.
    public init(root: URL, logger: Logger = Logger(label: "stageflow.runtime.process")) {
        self.root = root
        self.logger = logger
    }

    private func jobDirectory(_ jobUID: String) throws -> URL {
        guard !jobUID.isEmpty, jobUID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw RuntimeError("invalid job uid \"\(jobUID)\"")
        }
        return root.appendingPathComponent(jobUID, isDirectory: true)
    }

    public func ensurePod(_ spec: PodSpec) async throws {
        let directory = try jobDirectory(spec.jobUID)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let labels = spec.labels.merging([PodSpec.jobLabel: spec.jobUID], uniquingKeysWith: { _, new in new })
        try JSONEncoder().encode(labels).write(to: directory.appendingPathComponent("labels.json"), options: .atomic)
        for container in spec.containers {
            let containerDirectory = directory.appendingPathComponent(container.name, isDirectory: true)
            try FileManager.default.createDirectory(at: containerDirectory, withIntermediateDirectories: true)
            guard needsLaunch(containerDirectory) else { continue }
            try start(container, in: containerDirectory)
        }
    }

    public var restartsContainers: Bool { true }

    /// The supervising shell of each container is this process's child: its end is seen at once.
    public func containerExits() -> AsyncStream<String> { exits.exits() }

    /// Kills what is left of the finished container's session (a scanner outlives its supervising shell when only
    /// the shell was killed), then starts it in an empty directory.
    public func restartContainer(_ spec: PodSpec, container name: String, restarts: Int) async throws {
        guard let container = spec.containers.first(where: { $0.name == name }) else {
            throw RuntimeError("the pod of job \(spec.jobUID) has no container \(name) to restart")
        }
        let directory = try jobDirectory(spec.jobUID).appendingPathComponent(name, isDirectory: true)
        if case .running = state(of: directory) { return }
        if let recorded = Self.recordedProcess(directory) {
            for member in Self.sessionMembers(recorded.pid) { kill(member, SIGKILL) }
        }
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.path) { try manager.removeItem(at: directory) }
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(String(restarts).utf8).write(to: directory.appendingPathComponent("restarts"))
        try start(container, in: directory)
    }

    /// Whether a container has to be (re)started. A container starts at most once: the `launched` marker is
    /// written before the process is spawned and the process records its own pid as its first act, so only a
    /// marker without a pid that is older than `launchGrace` — a controller killed between the two — is
    /// started again.
    private func needsLaunch(_ directory: URL) -> Bool {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.appendingPathComponent("pid").path)
            || manager.fileExists(atPath: directory.appendingPathComponent("exit-code").path)
        {
            return false
        }
        let marker = directory.appendingPathComponent("launched").path
        guard let attributes = try? manager.attributesOfItem(atPath: marker),
            let written = attributes[.modificationDate] as? Date
        else { return true }
        return Date().timeIntervalSince(written) > Self.launchGrace
    }

    /// How long a launched process has to record its pid before it is taken for never started.
    static let launchGrace: TimeInterval = 5

    private func start(_ container: ContainerSpec, in directory: URL) throws {
        let log = directory.appendingPathComponent("output.log").path
        let exitFile = directory.appendingPathComponent("exit-code").path
        let pidFile = directory.appendingPathComponent("pid").path
        var script = "cd \(shellQuote(directory.path)) || exit 125\n"
        // The shell leads its own session and process group (setsid); it records its pid and start time (to tell
        // a reused pid apart) before anything else.
        script += "echo \"$$ $(cut -d' ' -f22 /proc/$$/stat)\" > \(shellQuote(pidFile)).tmp && mv \(shellQuote(pidFile)).tmp \(shellQuote(pidFile))\n"
        if let bytes = container.memoryLimitBytes {
            // The data limit (RLIMIT_DATA) bounds what a process can allocate without counting the address space
            // it only reserves, which browsers and language runtimes reserve generously.
            script += "ulimit -d \(max(bytes / 1024, 1024)) 2>/dev/null\n"
        }
        var command = container.command.map(shellQuote).joined(separator: " ")
        if let seconds = container.timeoutSeconds {
            // --foreground keeps the command in this process group, so deleting the pod kills all of it.
            command = "timeout --foreground -s KILL \(seconds) \(command)"
        }
        script += "\(command) >> \(shellQuote(log)) 2>&1\n"
        script += "code=$?\necho $code > \(shellQuote(exitFile)).tmp && mv \(shellQuote(exitFile)).tmp \(shellQuote(exitFile))\n"
        if let seconds = container.timeoutSeconds {
            try Data(String(seconds).utf8).write(to: directory.appendingPathComponent("timeout-seconds"))
        }
        try Data().write(to: directory.appendingPathComponent("launched"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["/bin/sh", "-c", script]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in container.environment { environment[key] = value }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            // The container's directory is <root>/<job uid>/<container>.
            try exits.run(process, jobUID: directory.deletingLastPathComponent().lastPathComponent)
        } catch {
            throw RuntimeError("cannot start \(container.name): \(error.localizedDescription)")
        }
    }

    public func observe(jobUID: String) async throws -> PodObservation? {
        let directory = try jobDirectory(jobUID)
        guard FileManager.default.fileExists(atPath: directory.path) else { return nil }
        var containers: [String: ContainerState] = [:]
        var restarts: [String: Int] = [:]
        let entries = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])
        for entry in entries where (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            containers[entry.lastPathComponent] = state(of: entry)
            if let text = try? String(contentsOf: entry.appendingPathComponent("restarts"), encoding: .utf8),
                let count = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                restarts[entry.lastPathComponent] = count
            }
        }
        return PodObservation(containers: containers, restarts: restarts)
    }

    private func state(of directory: URL) -> ContainerState {
        if let text = try? String(contentsOf: directory.appendingPathComponent("exit-code"), encoding: .utf8),
            let code = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return .exited(code: code, reason: reason(code: code, directory: directory))
        }
        guard let recorded = Self.recordedProcess(directory) else {
            // Launched (or about to be) but its pid is not recorded yet: starting.
            return .created
        }
        if Self.isAlive(recorded) { return .running }
        // The supervising shell is gone without recording an exit code: it was killed.
        return .exited(code: 137, reason: "Killed")
    }

    /// The pid and kernel start time a container's shell recorded.
    static func recordedProcess(_ directory: URL) -> (pid: pid_t, startTime: String)? {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("pid"), encoding: .utf8) else { return nil }
        let parts = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let first = parts.first, let pid = pid_t(first) else { return nil }
        return (pid, parts.count > 1 ? parts[1] : "")
    }

    /// Whether that very process still runs (not merely its pid, which the kernel may have reused).
    static func isAlive(_ process: (pid: pid_t, startTime: String)) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Field 3 is the state (index 0 after the command name); field 22 the start time (index 19).
        guard fields.count > 19 else { return false }
        if fields[0] == "Z" { return false }
        return process.startTime.isEmpty || String(fields[19]) == process.startTime
    }

    private func reason(code: Int32, directory: URL) -> String? {
        if code == 137 {
            // `timeout -s KILL` and a kill from outside both end in 137: the time the container ran tells them apart.
            guard let text = try? String(contentsOf: directory.appendingPathComponent("timeout-seconds"), encoding: .utf8),
                let limit = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { return "Killed" }
            guard let ran = Self.secondsRun(directory) else { return "Timeout" }
            return ran >= limit - 0.5 ? "Timeout" : "Killed"
        }
        let tail = (try? tailOf(directory.appendingPathComponent("output.log"), maxBytes: 2048)) ?? ""
        if tail.contains("MemoryError") || tail.contains("Cannot allocate memory") || tail.contains("out of memory")
            || tail.contains("std::bad_alloc")
        {
            return "MemoryLimitExceeded"
        }
        return nil
    }

    /// From the `launched` marker to the `exit-code` file, by their modification times.
    static func secondsRun(_ directory: URL) -> Double? {
        let manager = FileManager.default
        func modified(_ name: String) -> Date? {
            (try? manager.attributesOfItem(atPath: directory.appendingPathComponent(name).path))?[.modificationDate] as? Date
        }
        guard let launched = modified("launched"), let exited = modified("exit-code") else { return nil }
        return exited.timeIntervalSince(launched)
    }

    public func logs(jobUID: String, container: String, maxBytes: Int) async throws -> String {
        let file = try jobDirectory(jobUID).appendingPathComponent(container).appendingPathComponent("output.log")
        return (try? tailOf(file, maxBytes: maxBytes)) ?? ""
    }

    private func tailOf(_ file: URL, maxBytes: Int) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0)
        return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    }

    public func stop(jobUID: String, container: String?) async throws {
        let directory = try jobDirectory(jobUID)
        let names: [String]
        if let container {
            names = [container]
        } else {
            names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        }
        for name in names {
            guard let recorded = Self.recordedProcess(directory.appendingPathComponent(name)), Self.isAlive(recorded)
            else { continue }
            // The shell leads its session (setsid). Processes that made a process group of their own (a browser
            // and its renderers do) are still in the session: kill every member, not only the shell's group.
            kill(-recorded.pid, SIGKILL)
            for member in Self.sessionMembers(recorded.pid) { kill(member, SIGKILL) }
        }
    }

    /// Every process whose session is `session` (field 6 of `/proc/<pid>/stat`).
    static func sessionMembers(_ session: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the command name: state, ppid, pgrp, session.
            guard fields.count > 3, pid_t(fields[3]) == session else { return nil }
            return pid
        }
    }

    public func deletePod(jobUID: String) async throws {
        let directory = try jobDirectory(jobUID)
        guard FileManager.default.fileExists(atPath: directory.path) else { return }
        try await stop(jobUID: jobUID, container: nil)
        try FileManager.default.removeItem(at: directory)
    }

    /// Every pod under this runtime's root, which belongs to one installation.
    public func podJobUIDs(installation: String?) async throws -> [String] {
        guard FileManager.default.fileExists(atPath: root.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: root.path)
    }
}

/// Quotes a string for `/bin/sh`.
func shellQuote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
