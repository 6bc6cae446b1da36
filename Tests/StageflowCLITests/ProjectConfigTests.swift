import Foundation
import StageflowCLI
import Testing

@Suite("Project mode: .stageflow/config.yaml")
struct ProjectConfigTests {
    func parse(_ yaml: String, path: String = "/work/app/.stageflow/config.yaml") throws -> ProjectConfig {
        try ProjectConfig(path: path, yaml: yaml)
    }

    func problem(_ yaml: String) -> String? {
        do {
            _ = try parse(yaml)
            return nil
        } catch let error as CLIError {
            #expect(error.exitCode == 2)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func fullConfigParses() throws {
        let config = try parse(
            """
            scan:
              urls: [http://127.0.0.1:3000/, http://127.0.0.1:3000/about/]
              scanners: [link-checker]
              baseline: main
            dev:
              start:
                cmd: [python3, -m, http.server, "3000"]
                cwd: site
                env: {PORT: 3000, DEBUG: true}
              ready: {url: http://127.0.0.1:3000/health, timeout: 90s, interval: 250ms}
              stop: {signal: INT, timeout: 2}
            """)
        #expect(config.root == "/work/app")
        #expect(config.urls.count == 2)
        #expect(config.scanners == ["link-checker"])
        #expect(config.allowPrivateTargets)
        #expect(config.baseline == "main")
        let dev = try #require(config.dev)
        #expect(dev.command == .arguments(["python3", "-m", "http.server", "3000"]))
        #expect(dev.command.program == "python3")
        #expect(dev.directory == "/work/app/site")
        #expect(dev.environment == ["PORT": "3000", "DEBUG": "true"])
        #expect(dev.readyURL == "http://127.0.0.1:3000/health")
        #expect(dev.readyTimeout == .seconds(90))
        #expect(dev.readyInterval == .milliseconds(250))
        #expect(dev.stopSignal == .int)
        #expect(dev.stopTimeout == .seconds(2))
    }

    @Test func defaultsFillTheRest() throws {
        let config = try parse("scan:\n  urls: http://127.0.0.1:8000/\ndev:\n  start:\n    cmd: PORT=8000 npm run dev\n", path: "/work/app/stageflow.yaml")
        #expect(config.root == "/work/app")
        #expect(config.scanners == ["security-headers", "link-checker"])
        let dev = try #require(config.dev)
        #expect(dev.command == .shell("PORT=8000 npm run dev"))
        #expect(dev.command.program == "npm")
        #expect(dev.directory == "/work/app")
        #expect(dev.readyURL == "http://127.0.0.1:8000/")
        #expect(dev.readyTimeout == .seconds(60))
        #expect(dev.stopSignal == .term)
        #expect(dev.stopTimeout == .seconds(10))
        #expect(try parse("scan: {urls: [https://example.com/]}").dev == nil)
    }

    @Test func starterConfigParses() throws {
        let config = try parse(StarterConfig.text)
        #expect(config.urls == ["http://127.0.0.1:3000/"])
        #expect(config.dev?.command == .shell("npm run dev"))
    }

    @Test func errorsNameTheField() {
        let base = "scan:\n  urls: [http://127.0.0.1:3000/]\ndev:\n  start: {cmd: npm start}\n"
        #expect(problem(base + "  ready: {timeout: soon}")?.hasSuffix("dev.ready.timeout: expected a duration like 30s, found \"soon\"") == true)
        #expect(problem(base + "  ready: {interval: 0s}")?.contains("dev.ready.interval: expected a positive duration") == true)
        #expect(problem(base + "  stop: {signal: SIGNOPE}")?.contains("dev.stop.signal: unknown signal \"SIGNOPE\"") == true)
        #expect(problem(base + "  strat: {}")?.contains("dev.strat: unknown field") == true)
        #expect(problem(base + "  ready: {url: localhost:3000}")?.contains("dev.ready.url:") == true)
        #expect(problem("scan: {}")?.contains("scan.urls: is required") == true)
        #expect(problem("dev: {start: {cmd: x}}")?.contains("scan: is required") == true)
        #expect(problem("scan: {urls: [ftp://x/]}")?.contains("scan.urls[0]:") == true)
        #expect(problem("scan: {urls: [http://a/], scanners: 3}")?.contains("scan.scanners: expected a list of strings, found integer") == true)
        #expect(problem("scan: {urls: [http://a/]}\ndev: {start: {cwd: .}}")?.contains("dev.start.cmd: is required") == true)
        #expect(problem("scan: {urls: [http://a/]}\ndev: {start: {cmd: {a: b}}}")?.contains("dev.start.cmd: expected a command line") == true)
        #expect(problem("scan: [unclosed")?.contains("/work/app/.stageflow/config.yaml") == true)
        #expect(problem("- a\n- b")?.contains("expected a mapping") == true)
    }

    @Test func programLookupSearchesThePath() {
        #expect(ProgramLookup.find("sh", in: "/", processEnvironment: ["PATH": "/usr/bin:/bin"]) != nil)
        #expect(ProgramLookup.find("no-such-program-here", in: "/", processEnvironment: ["PATH": "/usr/bin:/bin"]) == nil)
        #expect(ProgramLookup.find("/bin/sh", in: "/tmp") == "/bin/sh")
        #expect(ProgramLookup.find("cd", in: "/") == "shell built-in")
    }
}
