import Foundation
import StageflowTestSupport
import Testing

/// `stageflowctl` against a real `stageflow up`.
@Suite("stageflowctl against stageflow up", .serialized)
struct StageflowctlTests {
    static func ctl(_ server: StageflowUp, _ arguments: [String], input: String? = nil) throws -> CommandResult {
        try run(Binaries.stageflowctl, ["--server", server.url] + arguments, input: input,
            environment: ["HOME": server.dataDirectory.path].merging(server.clientEnvironment) { $1 })
    }

    @Test("apply is idempotent: re-applying an unchanged file changes nothing, not even generation")
    func idempotentApply() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stageflowctl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("nested"), withIntermediateDirectories: true)
        try scanJobYAML(name: "one", urls: ["https://example.com/"])
            .write(to: directory.appendingPathComponent("one.yaml"), atomically: true, encoding: .utf8)
        try (scanJobYAML(name: "two", urls: ["https://example.com/2"]) + "\n---\n" + scanJobYAML(name: "three", urls: ["https://example.com/3"]))
            .write(to: directory.appendingPathComponent("nested/more.yml"), atomically: true, encoding: .utf8)

        let first = try Self.ctl(server, ["apply", "-f", directory.path])
        #expect(first.status == 0, "\(first)")
        for name in ["one", "two", "three"] {
            #expect(first.stdout.contains("scanjob.stageflow.dev/\(name) created"), "\(first)")
        }
        let before = try Self.ctl(server, ["get", "scanjobs", "-o", "json"])
        let second = try Self.ctl(server, ["apply", "-f", directory.path])
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.components(separatedBy: "unchanged").count == 4, "\(second)")
        let after = try Self.ctl(server, ["get", "scanjobs", "-o", "json"])
        // The controllers write status (and their finalizer) meanwhile; what the user applied must not change.
        #expect(try Self.applied(before.stdout) == Self.applied(after.stdout), "re-apply changed stored objects")
    }

    /// Name → (generation, spec, labels) of every object in a `get -o json` list.
    static func applied(_ listJSON: String) throws -> [String: String] {
        let list = try JSONSerialization.jsonObject(with: Data(listJSON.utf8)) as? [String: Any] ?? [:]
        var result: [String: String] = [:]
        for item in list["items"] as? [[String: Any]] ?? [] {
            let metadata = item["metadata"] as? [String: Any] ?? [:]
            let parts: [String: Any] = [
                "generation": metadata["generation"] ?? 0, "spec": item["spec"] ?? [:], "labels": metadata["labels"] ?? [:],
            ]
            let data = try JSONSerialization.data(withJSONObject: parts, options: [.sortedKeys])
            result[metadata["name"] as? String ?? ""] = String(decoding: data, as: UTF8.self)
        }
        return result
    }

    @Test("dry-run=server validates without storing")
    func dryRun() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let manifest = try temporaryFile("job.yaml", scanJobYAML(name: "dry", urls: ["https://example.com/"]))
        let result = try Self.ctl(server, ["apply", "-f", manifest, "--dry-run=server"])
        #expect(result.status == 0, "\(result)")
        let listed = try Self.ctl(server, ["get", "scanjobs", "-o", "name"])
        #expect(!listed.stdout.contains("dry"), "\(listed)")
    }

    @Test("malformed YAML names the file, the document and the line; nothing is applied")
    func malformedYAML() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let good = scanJobYAML(name: "fine", urls: ["https://example.com/"])
        let manifest = try temporaryFile("broken.yaml", good + "\n---\napiVersion: stageflow.dev/v1alpha1\nkind: ScanJob\nmetadata: {name: [unclosed\n")
        let result = try Self.ctl(server, ["apply", "-f", manifest])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("broken.yaml"), "\(result)")
        #expect(result.stderr.contains("document 2"), "\(result)")
        #expect(result.stderr.contains("line"), "\(result)")
        let listed = try Self.ctl(server, ["get", "scanjobs", "-o", "name"])
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "applied despite a bad file: \(listed)")
    }

    @Test("unknown kinds and schema violations are refused with clear messages")
    func refused() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let unknown = try temporaryFile("unknown.yaml", "apiVersion: stageflow.dev/v1alpha1\nkind: ScanJab\nmetadata: {name: x}\n")
        let unknownResult = try Self.ctl(server, ["apply", "-f", unknown])
        #expect(unknownResult.status == 1)
        #expect(unknownResult.stderr.contains("ScanJab"), "\(unknownResult)")

        let longURL = "https://example.com/" + String(repeating: "a", count: 2040)
        let tooLong = try temporaryFile("long.yaml", scanJobYAML(name: "long", urls: [longURL]))
        let tooLongResult = try Self.ctl(server, ["apply", "-f", tooLong])
        #expect(tooLongResult.status == 1)
        #expect(tooLongResult.stderr.contains("spec.target.urls[0]"), "\(tooLongResult)")

        let wrongType = try temporaryFile(
            "type.yaml",
            "apiVersion: stageflow.dev/v1alpha1\nkind: ScanJob\nmetadata: {name: typed}\nspec:\n  target: {urls: \"https://example.com/\"}\n  scanners: [{name: axe}]\n")
        let wrongTypeResult = try Self.ctl(server, ["apply", "-f", wrongType])
        #expect(wrongTypeResult.status == 1)
        #expect(wrongTypeResult.stderr.contains("spec.target.urls"), "\(wrongTypeResult)")

        let listed = try Self.ctl(server, ["get", "scanjobs", "-o", "name"])
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(listed)")
    }

    @Test("wait returns once the condition holds, and times out with exit 1 otherwise")
    func wait() throws {
        let server = try StageflowUp()
        defer { _ = server.stop() }
        let manifest = try temporaryFile("job.yaml", scanJobYAML(name: "waited", urls: ["https://example.com/"]))
        #expect(try Self.ctl(server, ["apply", "-f", manifest]).status == 0)

        let timedOut = try Self.ctl(server, ["wait", "scanjob/waited", "--for=condition=Complete", "--timeout=2s"])
        #expect(timedOut.status == 1, "\(timedOut)")
        #expect(timedOut.stderr.contains("timed out"), "\(timedOut)")

        let waiter = try BackgroundProcess(
            Binaries.stageflowctl, ["--server", server.url, "wait", "sj/waited", "--for=condition=Complete", "--timeout=60s"],
            environment: server.clientEnvironment)
        // Play the controller: report the job complete through the status subresource.
        let patch = #"{"status":{"phase":"Done","conditions":[{"type":"Complete","status":"True","reason":"Scanned","message":"done"}]}}"#
        let patched = try run(
            "/usr/bin/curl",
            ["-sS", "-X", "PATCH", "-H", "Content-Type: application/merge-patch+json", "-H",
             "Authorization: Bearer \(server.controllerToken ?? "")", "--data", patch,
             "\(server.url)/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs/waited/status"])
        #expect(patched.status == 0, "\(patched)")
        #expect(waitUntil(seconds: 60) { !waiter.process.isRunning }, "wait did not return")
        waiter.process.waitUntilExit()
        #expect(waiter.process.terminationStatus == 0, "\(waiter.output.text) \(waiter.errors.text)")
    }

    @Test("usage errors exit 2; an unreachable server exits 1 and names it")
    func exitCodes() throws {
        let usage = try run(Binaries.stageflowctl, ["get"])
        #expect(usage.status == 2, "\(usage)")
        let unreachable = try run(Binaries.stageflowctl, ["--server", "http://127.0.0.1:1", "get", "scanjobs"])
        #expect(unreachable.status == 1, "\(unreachable)")
        #expect(unreachable.stderr.contains("127.0.0.1:1"), "\(unreachable)")
    }
}
