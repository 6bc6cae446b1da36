import Testing

@testable import StageflowScanner

@Suite("prose words")
struct ProseWordsTests {
    static func words(_ text: String, minimumLength: Int = 2) -> [String] {
        ProseWords(runs: [VisibleText.Run(text: text, selector: "p")], minimumLength: minimumLength).words.map(\.text)
    }

    @Test("words split at spaces, hyphens and punctuation; apostrophes inside words stay")
    func splitting() {
        #expect(Self.words("Hello, world! A well-known (tiny) test; don't stop.") == [
            "Hello", "world", "well", "known", "tiny", "test", "don't", "stop",
        ])
        #expect(Self.words("It\u{2019}s “quoted” text…") == ["It", "quoted", "text"])
    }

    @Test("URLs, e-mail addresses, paths, digits, acronyms, identifiers and single letters are skipped")
    func skipped() {
        let text = """
            Visit https://example.com/page or www.example.org, mail me@example.com, read /usr/share/dict and \
            C:\\Temp; 3rd v2 2024 NASA HTML5 camelCase JavaScript snake_case example.com e.g. I a x
            """
        #expect(Self.words(text) == ["Visit", "or", "mail", "read", "and"])
    }

    @Test("possessive 's and surrounding apostrophes are stripped")
    func possessives() {
        #expect(Self.words("the company's 'quoted' users' James\u{2019}s") == ["the", "company", "quoted", "users", "James"])
    }

    @Test("the minimum length applies, never below two letters")
    func minimumLength() {
        #expect(Self.words("an ant ants", minimumLength: 4) == ["ants"])
        #expect(Self.words("a an", minimumLength: 1) == ["an"])
    }

    @Test("a word split by inline formatting is one word, attributed to the run it starts in")
    func acrossRuns() {
        let runs = [
            VisibleText.Run(text: "Say W", selector: "p"), VisibleText.Run(text: "or", selector: "p > b", continuesPrevious: true),
            VisibleText.Run(text: "d now", selector: "p", continuesPrevious: true),
            VisibleText.Run(text: "next", selector: "div"),
        ]
        let words = ProseWords(runs: runs).words
        #expect(words.map(\.text) == ["Say", "Word", "now", "next"])
        #expect(words.map(\.run) == [0, 0, 2, 3])
    }
}
