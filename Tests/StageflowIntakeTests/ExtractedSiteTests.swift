import Foundation
import StageflowAPI
import StageflowIntake
import Testing

@Suite("Extracted site pages")
struct ExtractedSiteTests {
    func site(_ files: [String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-site-\(UUID().uuidString)")
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("<html></html>".utf8).write(to: url)
        }
        return root.path
    }

    @Test("HTML pages only, the root first, a directory's index.html as the directory, others by name")
    func pageOrder() throws {
        let root = try site([
            "zeta.html", "index.html", "docs/index.html", "docs/guide.htm", "style.css", "img/logo.png", "a b.html", "README.md",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try ExtractedSite.pages(in: root, limit: 100) == ["", "a b.html", "docs/", "docs/guide.htm", "zeta.html"])
        #expect(try ExtractedSite.pages(in: root, limit: 2) == ["", "a b.html"])
        let site = ArchiveSite(state: .serving, origin: "http://127.0.0.1:8080", pages: try ExtractedSite.pages(in: root, limit: 3))
        #expect(site.pageURLs == ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/a%20b.html", "http://127.0.0.1:8080/docs/"])
    }

    @Test("a site without a root page lists its pages in path order; a missing directory is an error")
    func noRoot() throws {
        let root = try site(["b/page.html", "a.html"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try ExtractedSite.pages(in: root, limit: 10) == ["a.html", "b/page.html"])
        #expect(throws: (any Error).self) { try ExtractedSite.pages(in: root + "/missing", limit: 10) }
    }
}
