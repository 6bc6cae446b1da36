/// The dictionaries of one spelling run, loaded on first use and shared by every page of the run (a page in
/// `en` and one in `en-US` use the same loaded `en_US`). A language without an installed dictionary is
/// remembered too, so it is looked up once.
actor SpellingDictionaries {
    private let locator: HunspellDictionaryLocator
    private var byLanguage: [String: Result<HunspellDictionary, SpellingDictionaryMissing>] = [:]
    private var byFile: [String: HunspellDictionary] = [:]

    /// Dictionaries found by `locator`.
    init(locator: HunspellDictionaryLocator) {
        self.locator = locator
    }

    /// The dictionary for a language tag.
    func dictionary(for language: String) throws -> HunspellDictionary {
        let key = language.lowercased().replacingOccurrences(of: "_", with: "-")
        if let known = byLanguage[key] { return try known.get() }
        let result: Result<HunspellDictionary, SpellingDictionaryMissing>
        if let files = locator.locate(language) {
            if let loaded = byFile[files.wordFile.path] {
                result = .success(loaded)
            } else {
                do {
                    let dictionary = try HunspellDictionary(affixFile: files.affixFile, wordFile: files.wordFile, ngramSuggestions: false)
                    byFile[files.wordFile.path] = dictionary
                    result = .success(dictionary)
                } catch {
                    result = .failure(SpellingDictionaryMissing(message: "\(error)"))
                }
            }
        } else {
            result = .failure(SpellingDictionaryMissing(message: locator.missingDescription(for: language)))
        }
        byLanguage[key] = result
        return try result.get()
    }
}

/// No usable dictionary for a page's language; the message names the language and the directories searched.
struct SpellingDictionaryMissing: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { message }
}
