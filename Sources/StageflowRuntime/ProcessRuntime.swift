import Foundation
import Logging

/// The embedded default runtime: each container is a local process group started through `/bin/sh` so that it
/// outlives a controller crash. Its state lives in files under `<root>/<job-uid>/<container>/` — `pid`,
/// `exit-code`, `output.log` — so a restarted controller observes exactly what ran.
///
/// Limits: memory through `ulimit -v` (address space; a process over it fails to allocate and exits non-zero,
/// reported as `MemoryLimitExceeded` when its output says so), time through `timeout -s KILL`.
public struct ProcessRuntime: PodRuntime {
    public let name = "process"
    /// Directory holding one folder per job.
    public let root: URL
    private let logger: Logger

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
            // The directory is the creation marker: created exactly once, so a container starts at most once.
            do {
                try FileManager.default.createDirectory(at: containerDirectory, withIntermediateDirectories: false)
            } catch CocoaError.fileWriteFileExists {
                continue
            } catch where FileManager.default.fileExists(atPath: containerDirectory.path) {
                continue
            }
            try start(container, in: containerDirectory)
        }
    }

    private func start(_ container: ContainerSpec, in directory: URL) throws {
        let log = directory.appendingPathComponent("output.log").path
        let exitFile = directory.appendingPathComponent("exit-code").path
        var script = "cd \(shellQuote(directory.path)) || exit 125\n"
        if let bytes = container.memoryLimitBytes {
            script += "ulimit -v \(max(bytes / 1024, 1024)) 2>/dev/null\n"
        }
        var command = container.command.map(shellQuote).joined(separator: " ")
        if let seconds = container.timeoutSeconds {
            command = "timeout -s KILL \(seconds) \(command)"
        }
        script += "\(command) >> \(shellQuote(log)) 2>&1\n"
        script += "code=$?\necho $code > \(shellQuote(exitFile)).tmp && mv \(shellQuote(exitFile)).tmp \(shellQuote(exitFile))\n"
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
            try process.run()
        } catch {
            throw RuntimeError("cannot start \(container.name): \(error.localizedDescription)")
        }
        try String(process.processIdentifier).write(
            to: directory.appendingPathComponent("pid"), atomically: true, encoding: .utf8)
    }

    public func observe(jobUID: String) async throws -> PodObservation? {
        let directory = try jobDirectory(jobUID)
        guard FileManager.default.fileExists(atPath: directory.path) else { return nil }
        var containers: [String: ContainerState] = [:]
        let entries = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])
        for entry in entries where (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            containers[entry.lastPathComponent] = state(of: entry)
        }
        return PodObservation(containers: containers)
    }

    private func state(of directory: URL) -> ContainerState {
        if let text = try? String(contentsOf: directory.appendingPathComponent("exit-code"), encoding: .utf8),
            let code = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return .exited(code: code, reason: reason(code: code, directory: directory))
        }
        guard let pidText = try? String(contentsOf: directory.appendingPathComponent("pid"), encoding: .utf8),
            let pid = pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            // Created but the pid was not recorded yet: starting.
            return .created
        }
        if kill(pid, 0) == 0 || errno == EPERM { return .running }
        // The supervising shell is gone without recording an exit code: it was killed.
        return .exited(code: 137, reason: "Killed")
    }

    private func reason(code: Int32, directory: URL) -> String? {
        if code == 137 || code == 124 {
            return "Timeout"
        }
        let tail = (try? tailOf(directory.appendingPathComponent("output.log"), maxBytes: 2048)) ?? ""
        if tail.contains("MemoryError") || tail.contains("Cannot allocate memory") || tail.contains("out of memory")
            || tail.contains("std::bad_alloc")
        {
            return "MemoryLimitExceeded"
        }
        return nil
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
            let pidFile = directory.appendingPathComponent(name).appendingPathComponent("pid")
            guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            // setsid made the shell a process-group leader: kill the whole group.
            kill(-pid, SIGKILL)
        }
    }

    public func deletePod(jobUID: String) async throws {
        let directory = try jobDirectory(jobUID)
        guard FileManager.default.fileExists(atPath: directory.path) else { return }
        try await stop(jobUID: jobUID, container: nil)
        try FileManager.default.removeItem(at: directory)
    }

    public func podJobUIDs() async throws -> [String] {
        guard FileManager.default.fileExists(atPath: root.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: root.path)
    }
}

/// Quotes a string for `/bin/sh`.
func shellQuote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
