import Foundation
import StageflowTestSupport
import Testing

/// A real `kubectl` against a real `stageflow up`: the API speaks the Kubernetes dialect well enough for it.
///
/// kubectl sends credentials only over TLS, so these servers run authenticated over HTTPS: `--generate-tls` makes
/// a CA and a serving certificate in the data directory and writes `<data-dir>/kubeconfig` with that CA and the
/// admin token, which is all kubectl is given.
@Suite("kubectl against stageflow up", .serialized)
struct KubectlTests {
    /// `stageflow up` over HTTPS with its generated CA, authenticated by default.
    static func openServer() throws -> StageflowUp {
        try StageflowUp(extraArguments: ["--generate-tls"])
    }

    /// The kubeconfig `stageflow up --generate-tls` wrote.
    static func kubeconfig(_ server: StageflowUp) -> String {
        server.dataDirectory.appendingPathComponent("kubeconfig").path
    }

    /// Runs kubectl against `server` through its generated kubeconfig, with a throwaway cache and home, so
    /// nothing of the user's is touched.
    static func kubectl(_ server: StageflowUp, _ arguments: [String], input: String? = nil, kubeconfig: String? = nil) throws
        -> CommandResult
    {
        guard let kubectl = Binaries.onPath("kubectl") else {
            throw E2EError("kubectl is not on PATH: install Debian's kubernetes-client")
        }
        let home = server.dataDirectory.appendingPathComponent("kube")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return try run(
            kubectl, ["--kubeconfig", kubeconfig ?? Self.kubeconfig(server), "--cache-dir", home.appendingPathComponent("cache").path]
                + arguments,
            input: input, environment: ["HOME": home.path])
    }

    @Test("the generated kubeconfig reaches the server over HTTPS with the admin token; an unknown token is refused")
    func authenticatedOverTLS() throws {
        let server = try Self.openServer()
        defer { _ = server.stop() }
        #expect(server.url.hasPrefix("https://127.0.0.1:"), "\(server.url)")
        let config = try String(contentsOfFile: Self.kubeconfig(server), encoding: .utf8)
        #expect(config.contains("server: \(server.url)") && config.contains("certificate-authority-data:"), "\(config)")
        #expect(config.contains("token: \(server.token ?? "?")"))
        let attributes = try FileManager.default.attributesOfItem(atPath: Self.kubeconfig(server))
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the kubeconfig holds the admin token")

        let listed = try Self.kubectl(server, ["get", "scanjobs"])
        #expect(listed.status == 0, "\(listed)")
        #expect(listed.stderr.contains("No resources found"), "\(listed)")

        // The same CA with a token this server does not know: refused, so authentication is really on.
        let refused = try Self.kubectl(server, ["--token", "not-a-token-of-this-server-0000", "get", "scanjobs"])
        #expect(refused.status != 0, "\(refused)")
        // kubectl words a 401 as "You must be logged in to the server".
        #expect(refused.stderr.contains("must be logged in") || refused.stderr.contains("Unauthorized"), "\(refused)")
    }

    @Test("apply creates, re-apply is unchanged, a changed file configures")
    func applyLifecycle() throws {
        let server = try Self.openServer()
        defer { _ = server.stop() }
        // Suspended, so the controller leaves it Pending and its spec may still change.
        let manifest = try temporaryFile("job.yaml", scanJobYAML(name: "homepage", urls: ["https://example.com/"], suspend: true))

        let created = try Self.kubectl(server, ["apply", "-f", manifest])
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("scanjob.stageflow.dev/homepage created"), "\(created)")

        let unchanged = try Self.kubectl(server, ["apply", "-f", manifest])
        #expect(unchanged.status == 0, "\(unchanged)")
        #expect(unchanged.stdout.contains("scanjob.stageflow.dev/homepage unchanged"), "\(unchanged)")

        try scanJobYAML(name: "homepage", urls: ["https://example.com/", "https://example.com/about"], suspend: true)
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let configured = try Self.kubectl(server, ["apply", "-f", manifest])
        #expect(configured.status == 0, "\(configured)")
        #expect(configured.stdout.contains("scanjob.stageflow.dev/homepage configured"), "\(configured)")

        let yaml = try Self.kubectl(server, ["get", "scanjob", "homepage", "-o", "yaml"])
        #expect(yaml.status == 0, "\(yaml)")
        #expect(yaml.stdout.contains("https://example.com/about"))
        #expect(yaml.stdout.contains("generation: 2"), "\(yaml.stdout)")
    }

    @Test("kubectl diff on a changed file exits 1 showing the change, and the object is unchanged afterwards")
    func diffIsDryRun() throws {
        let server = try Self.openServer()
        defer { _ = server.stop() }
        let manifest = try temporaryFile("job.yaml", scanJobYAML(name: "homepage", urls: ["https://example.com/"], suspend: true))
        #expect(try Self.kubectl(server, ["apply", "-f", manifest]).status == 0)
        let before = try Self.kubectl(server, ["get", "scanjob", "homepage", "-o", "jsonpath={.metadata.resourceVersion}"])

        let same = try Self.kubectl(server, ["diff", "-f", manifest])
        #expect(same.status == 0, "an unchanged file has no diff: \(same)")

        try scanJobYAML(name: "homepage", urls: ["https://example.com/", "https://example.com/about"], suspend: true)
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let changed = try Self.kubectl(server, ["diff", "-f", manifest])
        #expect(changed.status == 1, "\(changed)")
        #expect(changed.stdout.contains("+") && changed.stdout.contains("https://example.com/about"), "\(changed.stdout)")

        // The server-side dry run stored nothing.
        let after = try Self.kubectl(server, ["get", "scanjob", "homepage", "-o", "jsonpath={.metadata.resourceVersion}"])
        #expect(after.stdout == before.stdout, "before \(before.stdout), after \(after.stdout)")
        let yaml = try Self.kubectl(server, ["get", "scanjob", "homepage", "-o", "yaml"])
        #expect(!yaml.stdout.contains("https://example.com/about"), "\(yaml.stdout)")
    }

    @Test("get prints the printer columns; describe and delete work")
    func getDescribeDelete() throws {
        let server = try Self.openServer()
        defer { _ = server.stop() }
        let manifest = try temporaryFile("job.yaml", scanJobYAML(name: "docs", urls: ["https://example.com/docs/"]))
        #expect(try Self.kubectl(server, ["apply", "-f", manifest]).status == 0)

        let table = try Self.kubectl(server, ["get", "sj"])
        #expect(table.status == 0, "\(table)")
        let header = table.stdout.split(separator: "\n").first.map(String.init) ?? ""
        for column in ["NAME", "PHASE", "PAGES", "SCORE", "AGE"] {
            #expect(header.contains(column), "missing column \(column) in: \(header)")
        }
        #expect(table.stdout.contains("docs"))

        let byLabel = try Self.kubectl(server, ["get", "scanjobs", "-l", "team=web", "-o", "name"])
        #expect(byLabel.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "scanjob.stageflow.dev/docs", "\(byLabel)")
        let noMatch = try Self.kubectl(server, ["get", "scanjobs", "-l", "team=seo", "-o", "name"])
        #expect(noMatch.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(noMatch)")

        let described = try Self.kubectl(server, ["describe", "scanjob", "docs"])
        #expect(described.status == 0, "\(described)")
        #expect(described.stdout.contains("Name:"))
        #expect(described.stdout.contains("docs"))
        #expect(described.stdout.contains("https://example.com/docs/"))

        let deleted = try Self.kubectl(server, ["delete", "scanjob", "docs"])
        #expect(deleted.status == 0, "\(deleted)")
        #expect(deleted.stdout.contains("scanjob.stageflow.dev \"docs\" deleted"), "\(deleted)")
        let gone = try Self.kubectl(server, ["get", "scanjob", "docs"])
        #expect(gone.status != 0)
        #expect(gone.stderr.contains("NotFound") || gone.stderr.contains("not found"), "\(gone)")
    }

    @Test("get -w streams changes as they happen")
    func watch() throws {
        let server = try Self.openServer()
        defer { _ = server.stop() }
        guard let kubectlPath = Binaries.onPath("kubectl") else { throw E2EError("kubectl is not on PATH") }
        let home = server.dataDirectory.appendingPathComponent("kube-watch")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let watcher = try BackgroundProcess(
            kubectlPath,
            ["--kubeconfig", Self.kubeconfig(server), "--cache-dir", home.appendingPathComponent("cache").path, "get", "scanjobs", "-w"],
            environment: ["HOME": home.path])
        defer { watcher.stop(grace: 2) }
        // The first table header (or "No resources found") shows the watch is established.
        _ = watcher.output.wait(for: "NAME", seconds: 15) || watcher.errors.wait(for: "No resources", seconds: 5)
        let manifest = try temporaryFile("job.yaml", scanJobYAML(name: "watched", urls: ["https://example.com/"]))
        #expect(try Self.kubectl(server, ["apply", "-f", manifest]).status == 0)
        #expect(watcher.output.wait(for: "watched", seconds: 30), "watch output: \(watcher.output.text) \(watcher.errors.text)")
        #expect(try Self.kubectl(server, ["label", "scanjob", "watched", "stage=two"]).status == 0)
        let sawUpdate = waitUntil(seconds: 30) {
            watcher.output.text.components(separatedBy: "watched").count >= 3
        }
        #expect(sawUpdate, "watch output: \(watcher.output.text)")
    }

    @Test("invalid manifests are refused with the server's reasons and nothing is stored")
    func invalidInput() throws {
        let server = try Self.openServer()
        defer { _ = server.stop() }
        let tooMany = (0...100).map { "https://example.com/page-\($0)" }
        let manifest = try temporaryFile("many.yaml", scanJobYAML(name: "too-many", urls: tooMany))
        let refused = try Self.kubectl(server, ["apply", "-f", manifest])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("Too many") || refused.stderr.contains("at most 100"), "\(refused)")

        let badName = try temporaryFile("name.yaml", scanJobYAML(name: "Not_A_Name", urls: ["https://example.com/"]))
        let badNameResult = try Self.kubectl(server, ["apply", "-f", badName])
        #expect(badNameResult.status != 0)
        #expect(badNameResult.stderr.contains("RFC 1123") || badNameResult.stderr.contains("Invalid"), "\(badNameResult)")

        let listed = try Self.kubectl(server, ["get", "scanjobs", "-o", "name"])
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(listed)")
    }
}
