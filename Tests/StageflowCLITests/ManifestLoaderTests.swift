import Foundation
import StageflowAPI
import StageflowCLI
import Testing

@Suite("Manifest loading")
struct ManifestLoaderTests {
    static let scanJob = """
        apiVersion: stageflow.dev/v1alpha1
        kind: ScanJob
        metadata:
          name: nightly
        spec:
          target:
            urls: ["https://example.com"]
          scanners:
            - name: axe
              config: {level: 2, strict: yes, ratio: 0.5, version: "1.10"}
        """

    /// A directory with files, removed afterwards.
    func withDirectory(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("manifests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try body(root)
    }

    @Test func readsMultiDocumentYAMLAndSkipsEmptyDocuments() throws {
        let text = "---\n" + Self.scanJob + "\n---\n---\n# only a comment\n---\n"
            + Self.scanJob.replacingOccurrences(of: "nightly", with: "weekly")
        let (manifests, problems) = ManifestLoader.parse(text, source: "scan.yaml")
        #expect(problems.isEmpty)
        #expect(manifests.map(\.name) == ["nightly", "weekly"])
        #expect(manifests.map(\.document) == [1, 4])
        #expect(manifests[0].kind == .scanJob)
        let config = manifests[0].object[path: ["spec", "scanners"]]?.arrayValue?.first?["config"]
        #expect(config == ["level": 2, "strict": true, "ratio": 0.5, "version": "1.10"])
    }

    @Test func readsJSON() throws {
        let json = #"{"apiVersion": "stageflow.dev/v1alpha1", "kind": "Scanner", "metadata": {"name": "axe"}, "spec": {"id": "axe", "n": 3}}"#
        let (manifests, problems) = ManifestLoader.parse(json, source: "axe.json")
        #expect(problems.isEmpty)
        #expect(manifests.first?.kind == .scanner)
        #expect(manifests.first?.object[path: ["spec", "n"]] == 3)
    }

    @Test func expandsLists() {
        let text = """
            apiVersion: v1
            kind: List
            items:
              - {apiVersion: stageflow.dev/v1alpha1, kind: ScanJob, metadata: {name: a}}
              - {apiVersion: stageflow.dev/v1alpha1, kind: ScanSchedule, metadata: {name: b}}
            """
        let (manifests, problems) = ManifestLoader.parse(text, source: "list.yaml")
        #expect(problems.isEmpty)
        #expect(manifests.map(\.kind) == [.scanJob, .scanSchedule])
        #expect(manifests.map(\.item) == [0, 1])
    }

    @Test func malformedYAMLNamesFileDocumentLineAndColumn() {
        let text = Self.scanJob + "\n---\napiVersion: stageflow.dev/v1alpha1\nkind: ScanJob\nmetadata:\n  name: x\n   bad: [\n"
        let (manifests, problems) = ManifestLoader.parse(text, source: "scan.yaml")
        #expect(manifests.isEmpty)
        #expect(problems.count == 1)
        let problem = problems.first ?? ""
        #expect(problem.hasPrefix("scan.yaml: document 2: line 16, column "), "\(problem)")
    }

    @Test func duplicateKeysAreReported() {
        let (_, problems) = ManifestLoader.parse("apiVersion: a\napiVersion: b\n", source: "dup.yaml")
        #expect(problems.first?.contains("dup.yaml: document 1: line ") == true)
        #expect(problems.first?.contains("duplicate key \"apiVersion\"") == true, "\(problems)")
    }

    @Test func unknownKindsAndVersionsAreReported() {
        let text = """
            apiVersion: stageflow.dev/v1alpha1
            kind: ScanJobs
            metadata: {name: a}
            ---
            apiVersion: stageflow.dev/v1
            kind: ScanJob
            metadata: {name: b}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: c}
            ---
            kind: ScanJob
            metadata: {name: d}
            ---
            apiVersion: stageflow.dev/v1alpha1
            kind: ScanJob
            metadata: {labels: {a: b}}
            ---
            - just
            - a list
            """
        let (manifests, problems) = ManifestLoader.parse(text, source: "bad.yaml")
        #expect(manifests.isEmpty)
        #expect(problems.count == 6)
        #expect(problems[0].hasPrefix(#"bad.yaml: document 1: line 2, column 7: unknown kind "ScanJobs" in stageflow.dev/v1alpha1 (one of ScanJob, ScanSchedule, Scanner"#))
        #expect(problems[1].hasPrefix(#"bad.yaml: document 2: line 5, column 13: apiVersion "stageflow.dev/v1" is not served for kind ScanJob"#))
        #expect(problems[2].contains(#"document 3: line 9, column 13: apiVersion "apps/v1" kind "Deployment" is not a Stageflow resource"#))
        #expect(problems[3].contains("document 4: line 13: apiVersion is missing"))
        #expect(problems[4].contains("document 5: line 18, column 11: metadata.name is missing"))
        #expect(problems[5].contains("document 6: line 20: expected an object with apiVersion and kind, found an array"))
    }

    @Test func walksDirectoriesRecursivelyInOrder() throws {
        try withDirectory([
            "b.yaml": Self.scanJob.replacingOccurrences(of: "nightly", with: "b"),
            "a/z.yml": Self.scanJob.replacingOccurrences(of: "nightly", with: "z"),
            "a/c.json": #"{"apiVersion":"stageflow.dev/v1alpha1","kind":"ScanJob","metadata":{"name":"c"}}"#,
            "notes.txt": "not a manifest",
            ".hidden/x.yaml": "not: [valid",
        ]) { root in
            let manifests = try ManifestLoader().load([root.path])
            #expect(manifests.map(\.name) == ["c", "z", "b"])
            #expect(manifests[0].source.hasSuffix("a/c.json"))
        }
    }

    @Test func oneMalformedFileFailsTheWholeLoad() throws {
        try withDirectory(["good.yaml": Self.scanJob, "worse.yaml": "apiVersion: [\n"]) { root in
            do {
                _ = try ManifestLoader().load([root.path])
                Issue.record("expected the malformed file to fail the load")
            } catch let error as ManifestError {
                #expect(error.problems.count == 1)
                #expect(error.problems[0].contains("worse.yaml: document 1: line 2, column 1: "))
            }
        }
    }

    @Test func readsStandardInputForDash() throws {
        let loader = ManifestLoader(readStandardInput: { Data(Self.scanJob.utf8) })
        let manifests = try loader.load(["-"])
        #expect(manifests.first?.source == "STDIN")
        #expect(manifests.first?.name == "nightly")
    }

    @Test func missingPathsAreNamed() {
        #expect(throws: ManifestError.self) { try ManifestLoader().load(["/nonexistent/scan.yaml"]) }
        do {
            _ = try ManifestLoader().load(["/nonexistent/scan.yaml"])
        } catch {
            #expect("\(error)" == #"the path "/nonexistent/scan.yaml" does not exist"#)
        }
    }
}
