import Foundation
import Logging
import StageflowAPI
import StageflowReport
import Testing

@testable import StageflowScanner

/// Whether the system's en_US dictionary is installed.
enum SystemDictionary {
    static let isInstalled = FileManager.default.fileExists(atPath: "/usr/share/hunspell/en_US.dic")
}

/// A directory of hand-written hunspell dictionaries, removed when the test ends.
struct DictionaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-hunspell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `name.aff` and `name.dic` with the words, in the given encoding.
    func add(_ name: String, words: [String], set: String = "UTF-8", encoding: String.Encoding = .utf8) throws {
        let affix = "SET \(set)\nTRY esianrtolcdugmfphbyvkwéçï\n"
        try #require(affix.data(using: encoding)).write(to: url.appendingPathComponent(name + ".aff"))
        let text = "\(words.count)\n" + words.joined(separator: "\n") + "\n"
        try #require(text.data(using: encoding)).write(to: url.appendingPathComponent(name + ".dic"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

@Suite("spelling scanner")
struct SpellingScannerTests {
    static func session(
        _ config: JSONValue? = nil, locator: HunspellDictionaryLocator = HunspellDictionaryLocator(environment: [:])
    ) async throws -> any PageScanSession {
        let planned = PlannedScanner(
            id: "spelling", version: "1.0.0", entry: ScannerEntry(builtin: "spelling"), config: config, maxConcurrency: 4,
            timeoutSeconds: 60, memoryMiB: nil, severityMapping: nil)
        return try await SpellingScanner(locator: locator).makeSession(
            PageScanSetup(scanner: planned, fetcher: PageFetcher(), logger: Logger(label: "test")))
    }

    static func page(_ body: String, lang: String? = "en") -> LoadedPage {
        let attribute = lang.map { " lang=\"\($0)\"" } ?? ""
        return LoadedPage(url: "https://example.com/", html: "<!doctype html><html\(attribute)><body>\(body)</body></html>")
    }

    @Test(
        "one finding per distinct misspelt word, with its count, suggestions and first occurrence",
        .enabled(if: SystemDictionary.isInstalled, "the en_US hunspell dictionary is not installed"))
    func misspellings() async throws {
        let scanner = SpellingScanner()
        #expect(scanner.id == "spelling" && !scanner.requiresBrowser)
        let session = try await Self.session()
        #expect(session.documentStartScript == nil)
        let html = """
            <main id="main"><h1>We recieve your orders</h1>
            <p>Please recieve teh parcel. Recieve it today. Our company's team doesn't mind.</p>
            <p class="note">Visit https://exmaple.com or write to nobdy@exmaple.com; NASA and camelCase and v2 are fine.</p>
            <code>recieve teh</code><p hidden>Hiddn</p><p title="Attrbute">Stageflow</p></main>
            """
        let outcome = try await session.scan(Self.page(html), tab: nil)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.findings.map(\.ruleId) == ["misspelling", "misspelling", "misspelling"])
        let recieve = try #require(outcome.findings.first)
        #expect(recieve.message.hasPrefix("\"recieve\" is not in the en_US dictionary; it appears 3 times on this page."))
        #expect(recieve.message.contains("Suggestions: receive"))
        #expect(recieve.selector == "#main > h1:nth-of-type(1) /* \"recieve\" */")
        #expect(recieve.html == "<h1>")
        #expect(recieve.severity == .minor && recieve.severityRaw == "notice")
        #expect(recieve.howToFix?.contains("\"receive\"") == true && recieve.howToFix?.contains("allowList") == true)
        #expect(recieve.url == "https://example.com/")
        let teh = outcome.findings[1]
        #expect(teh.message.contains("\"teh\"") && teh.message.contains("appears once"))
        #expect(teh.selector == "#main > p:nth-of-type(1) /* \"teh\" */")
        #expect(outcome.findings[2].message.hasPrefix("\"Stageflow\""))
        // Two words of one element differ in selector, so the report keeps them apart.
        #expect(Set(outcome.findings.map { SelectorNormalizer.normalize($0.selector) }).count == 3)
    }

    @Test(
        "the allow-list is case-insensitive; maxSuggestions and minWordLength apply",
        .enabled(if: SystemDictionary.isInstalled, "the en_US hunspell dictionary is not installed"))
    func configuration() async throws {
        let session = try await Self.session(["allowList": ["stageflow", "TEH"], "maxSuggestions": 0, "minWordLength": 5])
        let outcome = try await session.scan(Self.page("<p>Stageflow: recieve teh wrd</p>"), tab: nil)
        #expect(outcome.findings.count == 1)
        let finding = try #require(outcome.findings.first)
        #expect(finding.message.contains("\"recieve\"") && finding.message.contains("no suggestion"))
        #expect(finding.howToFix?.hasPrefix("Correct the word.") == true)
        let limited = try await Self.session(["maxSuggestions": 1]).scan(Self.page("<p>recieve</p>"), tab: nil)
        #expect(limited.findings.first?.message.hasSuffix("Suggestions: receive.") == true)
    }

    @Test("a language without a dictionary is a page error naming it and the directories searched")
    func missingDictionary() async throws {
        let directory = try DictionaryDirectory()
        defer { directory.remove() }
        let session = try await Self.session(locator: HunspellDictionaryLocator(directories: [directory.url]))
        let outcome = try await session.scan(Self.page("<p>Guten Tag</p>", lang: "de-DE"), tab: nil)
        #expect(outcome.findings.isEmpty)
        let error = try #require(outcome.errors.first)
        #expect(error.contains("\"de-DE\"") && error.contains("de_DE") && error.contains(directory.url.path))
        #expect(error.contains("STAGEFLOW_HUNSPELL_PATH"))
    }

    @Test("the page's <html lang> picks the dictionary; the language setting overrides it; UTF-8 words work")
    func languages() async throws {
        let directory = try DictionaryDirectory()
        defer { directory.remove() }
        try directory.add("fr_FR", words: ["bonjour", "café", "crème"])
        try directory.add("en_GB", words: ["colour", "hello"])
        let locator = HunspellDictionaryLocator(directories: [directory.url])
        let french = try await Self.session(locator: locator).scan(
            Self.page("<p>Bonjour, café crème cafe</p>", lang: "fr"), tab: nil)
        #expect(french.errors.isEmpty)
        #expect(french.findings.map { $0.message.components(separatedBy: "\"")[1] } == ["cafe"])
        #expect(french.findings.first?.message.contains("fr_FR dictionary") == true)
        #expect(french.findings.first?.message.contains("café") == true)
        let british = try await Self.session(locator: locator).scan(Self.page("<p>Hello colour color</p>", lang: "en-gb"), tab: nil)
        #expect(british.findings.map { $0.message.components(separatedBy: "\"")[1] } == ["color"])
        let overridden = try await Self.session(["language": "fr-FR"], locator: locator).scan(
            Self.page("<p>Hello café</p>", lang: "en-GB"), tab: nil)
        #expect(overridden.findings.map { $0.message.components(separatedBy: "\"")[1] } == ["Hello"])
    }

    @Test("a dictionary in ISO 8859-1 gets its words in ISO 8859-1")
    func latin1Dictionary() throws {
        let directory = try DictionaryDirectory()
        defer { directory.remove() }
        try directory.add("xx_XX", words: ["façade", "naïve"], set: "ISO8859-1", encoding: .isoLatin1)
        let dictionary = try HunspellDictionary(
            affixFile: directory.url.appendingPathComponent("xx_XX.aff"), wordFile: directory.url.appendingPathComponent("xx_XX.dic"))
        #expect(dictionary.spell("façade") && dictionary.spell("naïve"))
        #expect(!dictionary.spell("facade"))
        #expect(dictionary.suggestions(for: "facade", limit: 3).contains("façade"))
        // A word the encoding cannot hold is never reported.
        #expect(dictionary.spell("日本"))
    }

    @Test(
        "one dictionary serves concurrent pages",
        .enabled(if: SystemDictionary.isInstalled, "the en_US hunspell dictionary is not installed"))
    func concurrentPages() async throws {
        let session = try await Self.session()
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let outcome = try await session.scan(
                        Self.page("<p>Page \(index): recieve the wrongg wordz and the rigth ones</p>"), tab: nil)
                    return outcome.findings.count
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 4, count: 16))
    }

    @Test(
        "without the n-gram phase typos still get their correction; repeated words are answered from memory",
        .enabled(if: SystemDictionary.isInstalled, "the en_US hunspell dictionary is not installed"))
    func editSuggestionsOnly() throws {
        let files = try #require(HunspellDictionaryLocator(environment: [:]).locate("en-US"))
        let full = try HunspellDictionary(affixFile: files.affixFile, wordFile: files.wordFile)
        let edits = try HunspellDictionary(affixFile: files.affixFile, wordFile: files.wordFile, ngramSuggestions: false)
        for (typo, correction) in [("recieve", "receive"), ("wordz", "words"), ("rigth", "right"), ("accomodate", "accommodate")] {
            #expect(edits.suggestions(for: typo, limit: 5).contains(correction), "\(typo)")
        }
        // A mangled term only the n-gram phase guesses at.
        #expect(full.suggestions(for: "Cognito", limit: 5).contains("Incognito"))
        #expect(edits.suggestions(for: "Cognito", limit: 5).isEmpty)
        #expect(edits.suggestions(for: "recieve", limit: 1) == Array(edits.suggestions(for: "recieve", limit: 5).prefix(1)))
        #expect(!edits.spell("recieve") && !edits.spell("recieve") && edits.spell("receive"))
    }

    @Test("a missing dictionary file is an error, not a crash")
    func unreadableFiles() {
        #expect(throws: HunspellDictionaryError.self) {
            try HunspellDictionary(affixFile: URL(fileURLWithPath: "/nonexistent/x.aff"), wordFile: URL(fileURLWithPath: "/nonexistent/x.dic"))
        }
    }
}

@Suite("hunspell dictionary locator")
struct HunspellDictionaryLocatorTests {
    @Test(
        "language tags become hunspell names",
        arguments: [
            ("en", ["en_US", "en_EN", "en"]), ("en-gb", ["en_GB", "en_US", "en_EN", "en"]), ("de-DE", ["de_DE", "de"]),
            ("de", ["de_DE", "de"]), ("pt_br", ["pt_BR", "pt_PT", "pt"]), ("zh-Hant-TW", ["zh_TW", "zh_CN", "zh_ZH", "zh"]),
            ("sv", ["sv_SE", "sv_SV", "sv"]), ("", []),
        ])
    func names(tag: String, expected: [String]) {
        #expect(HunspellDictionaryLocator.candidateNames(for: tag) == expected)
    }

    @Test("directories come from STAGEFLOW_HUNSPELL_PATH first, then /usr/share/hunspell; any region of the language serves")
    func searchPath() throws {
        let locator = HunspellDictionaryLocator(environment: ["STAGEFLOW_HUNSPELL_PATH": "/opt/a::/opt/b"])
        #expect(locator.directories.map(\.path) == ["/opt/a", "/opt/b", "/usr/share/hunspell"])
        #expect(HunspellDictionaryLocator(environment: [:]).directories.map(\.path) == ["/usr/share/hunspell"])

        let first = try DictionaryDirectory()
        let second = try DictionaryDirectory()
        defer {
            first.remove()
            second.remove()
        }
        try second.add("de_AT", words: ["Servus"])
        try second.add("en_GB", words: ["colour"])
        try first.add("en_GB", words: ["colour"])
        let both = HunspellDictionaryLocator(directories: [first.url, second.url])
        #expect(both.locate("en-GB")?.wordFile.path == first.url.appendingPathComponent("en_GB.dic").path)
        #expect(both.locate("de")?.wordFile.lastPathComponent == "de_AT.dic")
        #expect(both.locate("fr") == nil)
    }
}
