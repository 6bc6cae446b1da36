import Foundation
import StageflowCLI
import Testing

@Suite("Client settings resolution")
struct ClientSettingsTests {
    let config = ConfigFile(path: "/home/u/.stageflow/config.yaml", server: "http://config:1", token: "config-token", namespace: "from-config")

    @Test func flagsWinOverEnvironmentOverConfigOverDefault() throws {
        let environment = ["STAGEFLOW_SERVER": "http://env:2", "STAGEFLOW_TOKEN": "env-token"]
        let flagged = try ClientSettings.resolve(
            server: "http://flag:3", token: "flag-token", namespace: "team-a", environment: environment, config: config)
        #expect(flagged.server.absoluteString == "http://flag:3")
        #expect(flagged.token == "flag-token")
        #expect(flagged.namespace == "team-a")
        #expect(flagged.namespaceFromFlag)

        let fromEnvironment = try ClientSettings.resolve(
            server: nil, token: nil, namespace: nil, environment: environment, config: config)
        #expect(fromEnvironment.server.absoluteString == "http://env:2")
        #expect(fromEnvironment.token == "env-token")
        #expect(fromEnvironment.namespace == "from-config")
        #expect(!fromEnvironment.namespaceFromFlag)

        let fromConfig = try ClientSettings.resolve(server: nil, token: nil, namespace: nil, environment: [:], config: config)
        #expect(fromConfig.server.absoluteString == "http://config:1")
        #expect(fromConfig.token == "config-token")

        let defaults = try ClientSettings.resolve(server: nil, token: nil, namespace: nil, environment: [:], config: nil)
        #expect(defaults.server.absoluteString == "http://127.0.0.1:8080")
        #expect(defaults.token == nil)
        #expect(defaults.namespace == "default")
    }

    @Test func serverWithoutSchemeMeansHTTP() throws {
        #expect(try ClientSettings.serverURL("localhost:8080", source: "--server").absoluteString == "http://localhost:8080")
    }

    @Test func badServersNameTheirSource() {
        do {
            _ = try ClientSettings.resolve(server: nil, token: nil, namespace: nil, environment: ["STAGEFLOW_SERVER": "ftp://x"], config: nil)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains(#"invalid server URL "ftp://x" (from STAGEFLOW_SERVER)"#))
        }
    }

    @Test func configFilesParseAndReportProblems() throws {
        let file = try ConfigFile(path: "c.yaml", yaml: "server: http://s:1\ntoken: abc\nextra: ignored\n")
        #expect(file.server == "http://s:1")
        #expect(file.token == "abc")
        #expect(throws: CLIError.self) { try ConfigFile(path: "c.yaml", yaml: "server: [\n") }
        #expect(throws: CLIError.self) { try ConfigFile(path: "c.yaml", yaml: "server: 3\n") }
        #expect(try ConfigFile(path: "c.yaml", yaml: "").server == nil)
    }

    @Test func configPathFollowsTheEnvironment() {
        #expect(ConfigFile.defaultPath(environment: ["STAGEFLOW_CONFIG": "/etc/sf.yaml"]) == "/etc/sf.yaml")
        #expect(ConfigFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.stageflow/config.yaml")
    }

    @Test func loadsTheConfigFileFromDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sf-\(UUID().uuidString).yaml").path
        try "server: http://disk:9\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ConfigFile.load(path: path)?.server == "http://disk:9")
        #expect(try ConfigFile.load(path: path + ".missing") == nil)
    }
}
