import Foundation
import StageflowReport

/// The `spelling` page scanner: checks the visible prose of each page (see ``VisibleText`` and
/// ``ProseWords``) with hunspell, in the dictionary of the page's `<html lang>` (or the configured
/// `language`; `en-US` when neither says), and reports each distinct misspelt word once per page.
///
/// A finding's selector names the element of the word's first occurrence followed by a CSS comment naming
/// the word (`main > p:nth-of-type(2) /* "recieve" */`): the comment does not change what the selector
/// matches, but keeps two misspelt words of one element apart, as the report tells issues apart by selector.
public struct SpellingScanner: PageScanner {
    /// `spelling`.
    public let id = "spelling"
    /// The markup is enough.
    public let requiresBrowser = false
    /// Where dictionaries are looked for.
    public let locator: HunspellDictionaryLocator

    /// The scanner's configuration (the manifest's `configSchema`).
    public struct Configuration: Decodable, Sendable {
        /// Words accepted in this job, compared case-insensitively (product names, jargon).
        public var allowList: [String]?
        /// The language of every page (a BCP 47 tag such as `en-GB`), instead of each page's `<html lang>`.
        public var language: String?
        /// Suggestions shown per word (default 3).
        public var maxSuggestions: Int?
        /// Shorter words are not checked (default 2; single letters never are).
        public var minWordLength: Int?
    }

    /// A scanner looking for dictionaries in `$STAGEFLOW_HUNSPELL_PATH` and `/usr/share/hunspell`.
    public init(locator: HunspellDictionaryLocator = HunspellDictionaryLocator()) {
        self.locator = locator
    }

    /// Decodes the configuration; dictionaries are loaded when the first page needs them.
    public func makeSession(_ setup: PageScanSetup) async throws -> any PageScanSession {
        let configuration = try setup.decodeConfig(Configuration.self)
        let language = configuration.language?.trimmingCharacters(in: .whitespaces)
        return SpellingSession(
            dictionaries: SpellingDictionaries(locator: locator),
            allowList: Set((configuration.allowList ?? []).map { Self.folded($0) }),
            language: language?.isEmpty == false ? language : nil,
            maxSuggestions: max(0, configuration.maxSuggestions ?? 3),
            minWordLength: max(2, configuration.minWordLength ?? 2))
    }

    /// A word in the form the allow-list compares: lower-cased, typographic apostrophes as `'`.
    static func folded(_ word: String) -> String {
        word.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
    }
}
