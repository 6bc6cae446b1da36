import Foundation
import Testing
import ZIPFoundation
@testable import StageflowIntake

@Suite struct SafeArchiveExtractorTests {
    /// Extracts and expects a refusal by `check` whose message contains `fragment`, with nothing left in the
    /// workspace and nothing written beside it.
    func expectRefusal(
        _ zip: TestZIP, _ check: UnsafeArchive.Check, _ fragment: String, extractor: SafeArchiveExtractor = SafeArchiveExtractor(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        try sandbox.write(zip)
        try expectRefusal(in: sandbox, check, fragment, extractor: extractor, sourceLocation: sourceLocation)
    }

    func expectRefusal(
        in sandbox: ExtractionSandbox, _ check: UnsafeArchive.Check, _ fragment: String,
        extractor: SafeArchiveExtractor = SafeArchiveExtractor(), sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        do {
            let summary = try extractor.extract(archiveAt: sandbox.archive, into: sandbox.workspace)
            Issue.record("extracted \(summary)", sourceLocation: sourceLocation)
        } catch let error as UnsafeArchive {
            #expect(error.check == check, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        }
        #expect(sandbox.contents(sandbox.workspace) == [], sourceLocation: sourceLocation)
        #expect(sandbox.contents(sandbox.outside) == [], sourceLocation: sourceLocation)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: sandbox.root)).isSubset(of: ["workspace", "outside", "upload.zip"]),
                sourceLocation: sourceLocation)
    }

    static let site: [TestZIP.Entry] = [
        .directory("site/"),
        .file("site/index.html", "<!doctype html><title>Home</title><a href=about.html>About</a>"),
        .file("site/about.html", "<!doctype html><title>About</title>"),
    ]

    @Test func aSmallSiteExtractsExactly() throws {
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        let css = Array(String(repeating: "body { color: #333 }\n", count: 40).utf8)
        try sandbox.write(TestZIP(entries: Self.site + [.file("site/css/site.css", css, stored: true), .file("site/./img/logo.svg", "y")]))
        let summary = try SafeArchiveExtractor().extract(archiveAt: sandbox.archive, into: sandbox.workspace)
        #expect(summary.files == 4)
        #expect(sandbox.contents(sandbox.workspace) == ["site", "site/about.html", "site/css", "site/css/site.css", "site/img", "site/img/logo.svg", "site/index.html"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.workspace + "/site/css/site.css")) == Data(css))
        #expect(try String(contentsOfFile: sandbox.workspace + "/site/index.html", encoding: .utf8).hasPrefix("<!doctype html><title>Home"))
        let siteBytes: UInt64 = Self.site.map(\.uncompressedSize).reduce(0, +)
        #expect(summary.bytes == UInt64(css.count) + 1 + siteBytes)
        #expect(sandbox.contents(sandbox.outside) == [])
    }

    @Test func anArchiveWrittenByZIPFoundationExtractsExactly() throws {
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        let archive = try Archive(url: URL(fileURLWithPath: sandbox.archive), accessMode: .create)
        let pages: [(String, String)] = [("index.html", "<h1>Hi</h1>"), ("docs/guide.html", String(repeating: "guide ", count: 500))]
        for (path, content) in pages {
            let data = Data(content.utf8)
            let provider: Provider = { (position: Int64, size: Int) throws -> Data in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate, provider: provider)
        }
        let empty: Provider = { (_: Int64, _: Int) throws -> Data in Data() }
        try archive.addEntry(with: "empty/", type: .directory, uncompressedSize: Int64(0), provider: empty)
        let summary = try SafeArchiveExtractor().extract(archiveAt: sandbox.archive, into: sandbox.workspace)
        #expect(summary.files == 2)
        for (path, content) in pages {
            #expect(try String(contentsOfFile: sandbox.workspace + "/" + path, encoding: .utf8) == content)
        }
        #expect(sandbox.contents(sandbox.workspace) == ["docs", "docs/guide.html", "empty", "index.html"])
    }

    @Test func traversal() throws {
        try expectRefusal(TestZIP(entries: Self.site + [.file("../../etc/passwd", "root::0:0")]), .pathTraversal,
                          #"entry 4 "../../etc/passwd": path leaves the workspace"#)
        try expectRefusal(TestZIP(entries: [.file("site/../../x", "x")]), .pathTraversal, "path leaves the workspace")
        try expectRefusal(TestZIP(entries: [.file("a/b/../../../outside/x", "x")]), .pathTraversal, "path leaves the workspace")
    }

    @Test func absolutePath() throws {
        try expectRefusal(TestZIP(entries: [.file("/etc/cron.d/x", "x")]), .absolutePath, #"entry 1 "/etc/cron.d/x": path is absolute"#)
    }

    @Test func driveLetter() throws {
        try expectRefusal(TestZIP(entries: [.file("C:/Windows/win.ini", "x")]), .driveLetter, "path starts with a drive letter")
        try expectRefusal(TestZIP(entries: [.file("c:x", "x")]), .driveLetter, "drive letter")
    }

    @Test func backslash() throws {
        try expectRefusal(TestZIP(entries: [.file("..\\..\\outside\\x", "x")]), .backslash, "backslash")
    }

    @Test func nulByte() throws {
        var entry = TestZIP.Entry.file("index.html", "x")
        entry.name = Array("index.html\0.png".utf8)
        try expectRefusal(TestZIP(entries: Self.site + [entry]), .nulByte, #"entry 4 "index.html\0.png": name contains a NUL byte"#)
    }

    @Test func controlCharacterAndLongNames() throws {
        try expectRefusal(TestZIP(entries: [.file("a\nb", "x")]), .controlCharacter, "control character")
        try expectRefusal(TestZIP(entries: [.file(String(repeating: "a/", count: 2048) + "b", "x")]), .nameTooLong, "at most 4096")
        try expectRefusal(TestZIP(entries: [.file(String(repeating: "a", count: 300), "x")]), .nameTooLong, "at most 255")
    }

    @Test func symlinkEntry() throws {
        var link = TestZIP.Entry.file("site/passwd", Array("/etc/passwd".utf8), stored: true)
        link.externalAttributes = 0o120777 << 16
        try expectRefusal(TestZIP(entries: Self.site + [link, .file("site/passwd/x", "x")]), .symlink, #"entry 4 "site/passwd": entry is a symbolic link"#)
    }

    @Test func deviceAndFIFOEntries() throws {
        for mode: UInt32 in [0o020644, 0o060644, 0o010644, 0o140644] {
            var entry = TestZIP.Entry.file("dev", "")
            entry.externalAttributes = mode << 16
            try expectRefusal(TestZIP(entries: [entry]), .specialFile, "device, FIFO or socket")
        }
    }

    @Test func tooManyEntries() throws {
        let entries = (0..<5_001).map { TestZIP.Entry.file("f\($0)", [], stored: true) }
        try expectRefusal(TestZIP(entries: entries), .tooManyEntries, "the archive has 5001 entries; at most 5000 are allowed")
    }

    @Test func fiveThousandEntriesAreFine() throws {
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        try sandbox.write(TestZIP(entries: (0..<5_000).map { TestZIP.Entry.file("d\($0 % 10)/f\($0)", [UInt8(truncatingIfNeeded: $0)], stored: true) }))
        #expect(try SafeArchiveExtractor().extract(archiveAt: sandbox.archive, into: sandbox.workspace).files == 5_000)
    }

    @Test func expansionRatio() throws {
        let zip = TestZIP(entries: Self.site + [.zeros("site/zeros.bin", mebibytes: 10)])
        try expectRefusal(zip, .expansionRatio, #"entry 4 "site/zeros.bin": brings the declared total"#)
        var streaming = SafeArchiveExtractor()
        streaming.checksDeclaredSizes = false
        try expectRefusal(zip, .expansionRatio, "brings the bytes written past 100×", extractor: streaming)
    }

    /// 11 MiB of incompressible bytes, stored last, so that the ratio stays under 100× and the size limits
    /// are what fires.
    static func padding(mebibytes: Int) -> TestZIP.Entry {
        var state = UInt64.random(in: 1...UInt64.max)
        var bytes = [UInt8](repeating: 0, count: mebibytes << 20)
        bytes.withUnsafeMutableBytes { raw in
            for offset in stride(from: 0, to: raw.count, by: 8) {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                raw.storeBytes(of: state, toByteOffset: offset, as: UInt64.self)
            }
        }
        return .file("padding.bin", bytes, stored: true)
    }

    @Test func moreThanOneGibibyteInAll() throws {
        let parts = (1...5).map { TestZIP.Entry.zeros("part\($0).bin", mebibytes: 220) }
        let zip = TestZIP(entries: parts + [Self.padding(mebibytes: 11)])
        try expectRefusal(zip, .totalTooLarge, "brings the declared total to")
        var streaming = SafeArchiveExtractor()
        streaming.checksDeclaredSizes = false
        try expectRefusal(zip, .totalTooLarge, #"entry 5 "part5.bin": brings the bytes written past the limit of 1073741824 in all"#, extractor: streaming)
    }

    @Test func anEntryOver250MiB() throws {
        let zip = TestZIP(entries: [.zeros("huge.bin", mebibytes: 260), Self.padding(mebibytes: 3)])
        try expectRefusal(zip, .entryTooLarge, "declares 272629760 bytes, above the limit of 262144000 per entry")
        var streaming = SafeArchiveExtractor()
        streaming.checksDeclaredSizes = false
        try expectRefusal(zip, .entryTooLarge, "inflates past the limit of 262144000 bytes per entry", extractor: streaming)
    }

    @Test func centralDirectorySizesThatLie() throws {
        try expectRefusal(TestZIP(entries: Self.site + [.zeros("site/small.txt", mebibytes: 300, declaring: 10)]), .sizeMismatch,
                          #"entry 4 "site/small.txt": inflates past the 10 bytes its directory entry declares"#)
        var short = TestZIP.Entry.file("short.txt", "hello, world")
        short.uncompressedSize = 100
        try expectRefusal(TestZIP(entries: [short]), .sizeMismatch, "inflates to 12 bytes but its directory entry declares 100")
        var stored = TestZIP.Entry.file("stored.txt", Array("hello".utf8), stored: true)
        stored.uncompressedSize = 2
        try expectRefusal(TestZIP(entries: [stored]), .sizeMismatch, "inflates past the 2 bytes")
    }

    @Test func checksumMismatch() throws {
        var entry = TestZIP.Entry.file("a.txt", "hello")
        entry.crc32 ^= 1
        try expectRefusal(TestZIP(entries: [entry]), .checksumMismatch, "CRC-32")
    }

    @Test func notAZip() throws {
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        try sandbox.write(Array("<!doctype html><p>this is not an archive</p>".utf8) + [UInt8](repeating: 0x20, count: 100))
        try expectRefusal(in: sandbox, .notAZip, "not a ZIP archive: no end-of-central-directory record")
        try sandbox.write([])
        try expectRefusal(in: sandbox, .notAZip, "not a ZIP archive")
    }

    @Test func truncated() throws {
        let bytes = TestZIP(entries: Self.site + [.file("site/big.txt", Array(String(repeating: "lorem ipsum ", count: 2000).utf8))]).bytes()
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        try sandbox.write(Array(bytes[..<(bytes.count / 2)]))
        try expectRefusal(in: sandbox, .corrupt, "the archive is truncated")
        try sandbox.write(Array(bytes[..<(bytes.count - 10)]))
        try expectRefusal(in: sandbox, .corrupt, "truncated")
        // The directory intact but an entry's data running past the start of the directory.
        var entry = TestZIP.Entry.file("site/page.html", "<p>page</p>")
        entry.compressedSizeOverride = 5_000
        try sandbox.write(TestZIP(entries: Self.site + [entry]))
        try expectRefusal(in: sandbox, .corrupt, "truncated")
    }

    @Test func aDeflateStreamCutShort() throws {
        var entry = TestZIP.Entry.zeros("z.bin", mebibytes: 2)
        entry.data = Array(entry.data.dropLast(600))
        entry.uncompressedSize = 2 << 20
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        try sandbox.write(TestZIP(entries: [entry, Self.padding(mebibytes: 1)]))
        try expectRefusal(in: sandbox, .corrupt, "ends before the deflate stream does")
    }

    @Test func duplicatesAndConflicts() throws {
        try expectRefusal(TestZIP(entries: [.file("a.txt", "1"), .file("./a.txt", "2")]), .duplicateEntry, "already has the path a.txt")
        try expectRefusal(TestZIP(entries: [.file("a", "1"), .file("a/b", "2")]), .pathConflict, "a on its path is a file")
        try expectRefusal(TestZIP(entries: [.file("a/b", "1"), .file("a", "2")]), .pathConflict, "a directory already exists")
    }

    @Test func encryptedAndUnknownMethods() throws {
        var method = TestZIP.Entry.file("a.txt", "x")
        method.method = 12
        try expectRefusal(TestZIP(entries: [method]), .unsupportedCompression, "compression method 12")
    }

    @Test func theWorkspaceMustBeEmpty() throws {
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        try sandbox.write(TestZIP(entries: Self.site))
        try FileManager.default.createDirectory(atPath: sandbox.workspace, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: sandbox.workspace + "/existing"))
        #expect(throws: ArchiveWorkspaceError.self) {
            try SafeArchiveExtractor().extract(archiveAt: sandbox.archive, into: sandbox.workspace)
        }
        #expect(sandbox.contents(sandbox.workspace) == ["existing"])
    }

    @Test func aSymlinkedWorkspaceIsRefused() throws {
        let sandbox = try ExtractionSandbox()
        defer { sandbox.remove() }
        try sandbox.write(TestZIP(entries: Self.site))
        try FileManager.default.createSymbolicLink(atPath: sandbox.workspace, withDestinationPath: sandbox.outside)
        #expect(throws: ArchiveWorkspaceError.self) {
            try SafeArchiveExtractor().extract(archiveAt: sandbox.archive, into: sandbox.workspace)
        }
        #expect(sandbox.contents(sandbox.outside) == [])
    }
}

