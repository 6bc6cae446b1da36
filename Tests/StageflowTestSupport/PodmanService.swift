import Foundation
import StageflowThrowaway

/// A Podman API service started for the test process on its own socket (`podman system service`), with the
/// runtime and limits of `deploy/podman/containers.conf`. Stopped at exit.
public final class PodmanService: @unchecked Sendable {
    public let socketPath: String
    private let process: Process

    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: PodmanService?

    public static func shared() throws -> PodmanService {
        try lock.withLock {
            if let instance { return instance }
            let service = try PodmanService()
            instance = service
            atexit { PodmanService.instance?.process.terminate() }
            return service
        }
    }

    private init() throws {
        guard let podman = ["/usr/bin/podman", "/usr/local/bin/podman"].first(where: FileManager.default.isExecutableFile)
        else {
            throw PodmanUnavailable("podman is not installed: apt-get install podman runc")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-podman-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socketPath = directory.appendingPathComponent("podman.sock").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: podman)
        process.arguments = ["system", "service", "--time=0", "unix://\(socketPath)"]
        // conmon, started by the service, writes an `oom` marker into its working directory when a container hits
        // its memory limit: keep that out of the package.
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["CONTAINERS_CONF"] = Self.containersConf.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socketPath) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard FileManager.default.fileExists(atPath: socketPath) else {
            process.terminate()
            throw PodmanUnavailable("podman system service did not create \(socketPath)")
        }
    }

    /// The project's containers.conf: `swift test` runs in the package root; else found from this file.
    public static var containersConf: URL {
        let fromWorkingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent("deploy/podman/containers.conf")
        if FileManager.default.fileExists(atPath: fromWorkingDirectory.path) { return fromWorkingDirectory }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/podman/containers.conf")
    }
}

public struct PodmanUnavailable: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
