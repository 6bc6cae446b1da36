import StageflowObjectStore
import Testing

/// The object layout of `docs/architecture.md` and the key rules.
@Suite("Object keys")
struct ObjectKeysTests {
    @Test("the layout")
    func layout() throws {
        let uid = "3f2a9c1e-7b7d-4a55-9a8e-0c4b1f0d2e61"
        #expect(try ObjectKeys.stagingArchive(jobUID: uid, fileName: "site") == "staging/\(uid)/site.zip")
        #expect(try ObjectKeys.stagingArchive(jobUID: uid, fileName: "My Site.ZIP") == "staging/\(uid)/My Site.ZIP")
        #expect(try ObjectKeys.stagingPrefix(jobUID: uid) == "staging/\(uid)/")
        #expect(try ObjectKeys.artifactsPrefix(jobUID: uid) == "artifacts/\(uid)/")
        #expect(try ObjectKeys.plan(jobUID: uid) == "artifacts/\(uid)/plan.json")
        #expect(try ObjectKeys.provenance(jobUID: uid) == "artifacts/\(uid)/provenance.json")
        #expect(try ObjectKeys.reportJSON(jobUID: uid) == "artifacts/\(uid)/report.json")
        #expect(try ObjectKeys.reportHTML(jobUID: uid) == "artifacts/\(uid)/report.html")
        #expect(try ObjectKeys.scannerResults(jobUID: uid, scanner: "axe") == "artifacts/\(uid)/axe/results.json")
        #expect(try ObjectKeys.scannerReport(jobUID: uid, scanner: "security-headers") == "artifacts/\(uid)/security-headers/report.html")
        #expect(try ObjectKeys.screenshotsPrefix(jobUID: uid, scanner: "lighthouse") == "artifacts/\(uid)/lighthouse/screenshots/")
        #expect(
            try ObjectKeys.screenshot(jobUID: uid, scanner: "axe", pageID: "p-0001") == "artifacts/\(uid)/axe/screenshots/p-0001.png")
    }

    @Test("outside parts that are not one safe segment are refused, naming the field")
    func hostileParts() {
        let cases: [(@Sendable () throws -> String, String)] = [
            ({ try ObjectKeys.plan(jobUID: "../other") }, "job uid"),
            ({ try ObjectKeys.plan(jobUID: "") }, "job uid"),
            ({ try ObjectKeys.stagingArchive(jobUID: "u", fileName: "../../etc/passwd") }, "archive file name"),
            ({ try ObjectKeys.stagingArchive(jobUID: "u", fileName: "..") }, "archive file name"),
            ({ try ObjectKeys.stagingArchive(jobUID: "u", fileName: "a\\b.zip") }, "archive file name"),
            ({ try ObjectKeys.scannerResults(jobUID: "u", scanner: "Axe") }, "scanner id"),
            ({ try ObjectKeys.scannerResults(jobUID: "u", scanner: "report.json") }, "scanner id"),
            ({ try ObjectKeys.screenshot(jobUID: "u", scanner: "axe", pageID: "a/b") }, "page id"),
            ({ try ObjectKeys.screenshot(jobUID: "u", scanner: "axe", pageID: "nul\u{0}") }, "page id"),
        ]
        for (build, field) in cases {
            let error = #expect(throws: ObjectStoreError.self) { try build() }
            #expect(error?.kind == .invalidKey)
            #expect(error?.description.contains(field) == true, "\(error?.description ?? "")")
        }
    }

    @Test("key rules", arguments: [
        ("a", true), ("a/b/c.json", true), ("a b/ü/+=&?.txt", true), (".hidden/x", true), ("a..b", true),
        ("", false), ("/a", false), ("a/", false), ("a//b", false), ("..", false), ("a/../b", false), (".", false),
        ("a/./b", false), ("a\\b", false), ("a\u{0}", false), ("tab\tkey", false), ("del\u{7F}", false),
        (".stageflow-partial-1", false),
    ])
    func keyRules(key: String, valid: Bool) {
        #expect(((try? ObjectKeys.validate(key)) != nil) == valid, "\(String(reflecting: key))")
    }

    @Test("prefixes may be empty or end with a slash")
    func prefixes() throws {
        try ObjectKeys.validate(prefix: "")
        try ObjectKeys.validate(prefix: "artifacts/")
        try ObjectKeys.validate(prefix: "artifacts/job")
        #expect(throws: ObjectStoreError.self) { try ObjectKeys.validate(prefix: "/") }
        #expect(throws: ObjectStoreError.self) { try ObjectKeys.validate(prefix: "a//") }
        #expect(throws: ObjectStoreError.self) { try ObjectKeys.validate(prefix: "../") }
    }

    @Test("keys longer than 1024 bytes are refused")
    func length() {
        #expect((try? ObjectKeys.validate(String(repeating: "a", count: 1024))) != nil)
        #expect(throws: ObjectStoreError.self) { try ObjectKeys.validate(String(repeating: "é", count: 513)) }
    }
}
