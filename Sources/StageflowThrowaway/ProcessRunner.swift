import Foundation

/// Locations of the binaries under test: the package's own build products, or `STAGEFLOW_BIN_DIR`.
public enum Binaries {
    /// The directory holding `stageflow` and `stageflowctl`.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["STAGEFLOW_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        // The test bundle lives in the build products directory next to the executables.
        var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("stageflow").path) {
                return candidate
            }
            candidate = candidate.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
    }

    public static var stageflow: String { directory.appendingPathComponent("stageflow").path }
    public static var stageflowctl: String { directory.appendingPathComponent("stageflowctl").path }

    /// The first executable of that name on PATH.
    public static func onPath(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// What a finished command printed and returned.
public struct CommandResult: CustomStringConvertible {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs a command to completion, feeding `input` to its standard input.
public func run(_ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:])
    throws -> CommandResult
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdout = Pipe()
    let stderr = Pipe()
    let stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let outputReader = PipeReader(stdout.fileHandleForReading)
    let errorReader = PipeReader(stderr.fileHandleForReading)
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: outputReader.finish(), stderr: errorReader.finish())
}

/// Drains a pipe on its own thread so a chatty child never blocks on a full pipe.
public final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    public init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { data.append(chunk) }
            }
            done.signal()
        }
    }

    /// Everything read so far.
    public var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

    /// Waits for end of file and returns everything.
    public func finish() -> String {
        done.wait()
        return text
    }

    /// Waits until the output contains `needle`, up to `seconds`.
    public func wait(for needle: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if text.contains(needle) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return text.contains(needle)
    }
}

/// A long-running child process (a server, or a `get -w`), stopped with SIGTERM (then SIGKILL) by `stop()`.
public final class BackgroundProcess: @unchecked Sendable {
    public let process = Process()
    public let output: PipeReader
    public let errors: PipeReader

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        output = PipeReader(stdout.fileHandleForReading)
        errors = PipeReader(stderr.fileHandleForReading)
    }

    /// Sends SIGTERM and waits for exit, escalating to SIGKILL after `grace` seconds. Returns the exit status.
    @discardableResult
    public func stop(grace: Double = 10) -> Int32 {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(grace)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held. A bound on waiting, not a
/// timing assertion: generous limits only decide when to give up.
public func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return condition()
}

/// `waitUntil` for a condition that awaits (an HTTP call, say): polls every 100 ms without blocking a thread.
public func waitUntilAsync(seconds: Double, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return await condition()
}
