import Foundation
import StageflowReport

/// One run of the spelling scanner.
struct SpellingSession: PageScanSession {
    let dictionaries: SpellingDictionaries
    let allowList: Set<String>
    let language: String?
    let maxSuggestions: Int
    let minWordLength: Int

    var toolVersion: String { "stageflow spelling 1.0 (hunspell 1.7)" }

    /// The one rule: a word of the visible prose that the page language's dictionary does not know.
    static let rule = RuleDescriptor(
        id: "misspelling", title: "Possible misspelling", severity: .minor, category: .content,
        standards: [
            StandardReference(
                kind: .other, id: "hunspell", title: "hunspell dictionary of the page's language", url: "https://hunspell.github.io/")
        ])

    var rules: [RuleDescriptor] { [Self.rule] }

    func scan(_ page: LoadedPage, tab: (any BrowserTab)?) async throws -> PageScanOutcome {
        let text = VisibleText(html: page.html)
        let language = language ?? text.language ?? HunspellDictionaryLocator.defaultLanguage
        let dictionary: HunspellDictionary
        do {
            dictionary = try await dictionaries.dictionary(for: language)
        } catch {
            return PageScanOutcome(errors: ["\(error)"])
        }
        let dictionaryName = dictionary.wordFile.deletingPathExtension().lastPathComponent
        var misspelt: [String: Misspelling] = [:]
        var order: [String] = []
        var verdicts: [String: Bool] = [:]
        for word in ProseWords(runs: text.runs, minimumLength: minWordLength).words {
            let key = SpellingScanner.folded(word.text)
            if allowList.contains(key) { continue }
            if misspelt[key] != nil {
                misspelt[key]?.count += 1
                continue
            }
            let correct = verdicts[word.text] ?? dictionary.spell(word.text)
            verdicts[word.text] = correct
            if correct { continue }
            misspelt[key] = Misspelling(word: word.text, count: 1, run: text.runs[word.run])
            order.append(key)
        }
        let findings = order.compactMap { misspelt[$0] }.map { misspelling in
            misspelling.finding(
                url: page.url, dictionary: dictionaryName,
                suggestions: dictionary.suggestions(for: misspelling.word, limit: maxSuggestions))
        }
        return PageScanOutcome(findings: findings, checked: [Self.rule.id])
    }
}
