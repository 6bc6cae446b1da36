import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A headless Chromium started for one runner: its own throwaway profile directory, the DevTools endpoint on a
/// loopback port it picks itself (read from `DevToolsActivePort`), and a process group of its own so that
/// stopping it also stops every renderer it forked.
final class ChromiumProcess: Sendable {
    /// `ws://127.0.0.1:PORT/devtools/browser/ID`.
    let endpoint: String
    /// The DevTools port on 127.0.0.1, which no scanned page may reach.
    let devToolsPort: Int?
    /// The executable that was started.
    let executable: String
    private let pid: pid_t
    private let exit: ProcessExit
    private let profile: URL

    /// Where the browser is looked for when `STAGEFLOW_CHROMIUM` is not set.
    static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"]

    /// Starts the browser and waits (up to `startupTimeout`) for its DevTools endpoint.
    static func launch(
        executable configured: String?, extraArguments: [String] = [], startupTimeout: Duration = .seconds(120)
    ) async throws -> ChromiumProcess {
        let environment = ProcessInfo.processInfo.environment
        let executable = try locate(configured ?? environment["STAGEFLOW_CHROMIUM"], path: environment["PATH"])
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var arguments = [
            "--headless=new", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            // The WebSocket client announces itself as origin ws://127.0.0.1; no web page can have that origin.
            "--remote-allow-origins=ws://127.0.0.1",
            "--user-data-dir=\(profile.path)", "--no-first-run", "--no-default-browser-check", "--disable-gpu",
            "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
            "--disable-default-apps", "--disable-extensions", "--disable-sync", "--disable-breakpad",
            "--disable-crash-reporter", "--metrics-recording-only", "--mute-audio", "--hide-scrollbars",
            "--password-store=basic", "--use-mock-keychain", "--no-pings",
            "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
            "--font-render-hinting=none", "about:blank",
        ]
        // The kernel sandbox needs user namespaces, which containers and root do not get.
        if getuid() == 0 || environment["STAGEFLOW_CHROMIUM_NO_SANDBOX"] == "1" {
            arguments.insert("--no-sandbox", at: 0)
        }
        arguments.insert(contentsOf: extraArguments, at: 0)
        let log = profile.appendingPathComponent("chromium.log").path
        var childEnvironment = environment
        childEnvironment["HOME"] = childEnvironment["HOME"] ?? profile.path
        let pid: pid_t
        do {
            pid = try ProcessSpawn.spawn(
                executable: executable, arguments: arguments, environment: childEnvironment, standardOutput: log,
                standardError: log, newProcessGroup: true)
        } catch let error as ProcessSpawn.Failure {
            try? FileManager.default.removeItem(at: profile)
            throw BrowserError.unavailable("cannot start \(executable): \(error.message)")
        }
        let exit = ProcessExit.watch(pid)
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        let deadline = ContinuousClock.now + startupTimeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8) {
                let lines = text.split(separator: "\n")
                if lines.count >= 2, let port = Int(lines[0]) {
                    return ChromiumProcess(
                        endpoint: "ws://127.0.0.1:\(port)\(lines[1])", devToolsPort: port, executable: executable, pid: pid,
                        exit: exit, profile: profile)
                }
            }
            if exit.isFinished {
                let tail = Self.tail(of: log)
                try? FileManager.default.removeItem(at: profile)
                throw BrowserError.unavailable("\(executable) exited during start-up (status \(exit.result.0)): \(tail)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(-pid, SIGKILL)
        await exit.wait()
        try? FileManager.default.removeItem(at: profile)
        throw BrowserError.unavailable("\(executable) did not open its DevTools endpoint within \(startupTimeout)")
    }

    private init(endpoint: String, devToolsPort: Int, executable: String, pid: pid_t, exit: ProcessExit, profile: URL) {
        self.endpoint = endpoint
        self.devToolsPort = devToolsPort
        self.executable = executable
        self.pid = pid
        self.exit = exit
        self.profile = profile
    }

    /// Whether the browser process has exited.
    var hasExited: Bool { exit.isFinished }

    /// Stops the browser and everything it started, and removes its profile.
    func stop() async {
        if !exit.isFinished {
            kill(-pid, SIGTERM)
            for _ in 0..<40 where !exit.isFinished {
                try? await Task.sleep(for: .milliseconds(25))
            }
            kill(-pid, SIGKILL)
            await exit.wait()
        }
        // Renderers and helpers of the group may outlive the main process by a moment.
        kill(-pid, SIGKILL)
        try? FileManager.default.removeItem(at: profile)
    }

    /// The browser executable: the configured one (a path or a name on PATH), else the first of `candidates`.
    static func locate(_ configured: String?, path: String?) throws -> String {
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        let names = configured.map { [$0] } ?? candidates
        for name in names {
            if name.contains("/") {
                if FileManager.default.isExecutableFile(atPath: name) { return name }
                continue
            }
            for directory in directories {
                let candidate = directory + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        let looked = configured.map { "\($0) (STAGEFLOW_CHROMIUM)" } ?? candidates.joined(separator: ", ")
        throw BrowserError.unavailable(
            "no Chromium found (looked for \(looked) on PATH); install Debian's chromium package or set STAGEFLOW_CHROMIUM")
    }

    private static func tail(of path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data.suffix(600), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
