import StageflowReport

/// A misspelt word on one page: how it was first written, how often it occurs, and where it first occurs.
struct Misspelling: Sendable {
    var word: String
    var count: Int
    var run: VisibleText.Run

    /// The page's finding for this word.
    func finding(url: String, dictionary: String, suggestions: [String]) -> ScannerFinding {
        let times = count == 1 ? "once" : "\(count) times"
        let offered =
            suggestions.isEmpty
            ? "Hunspell has no suggestion."
            : "Suggestions: \(suggestions.joined(separator: ", "))."
        let fix =
            suggestions.isEmpty
            ? "Correct the word"
            : "Correct the word (perhaps \(suggestions.map { "\"\($0)\"" }.joined(separator: " or ")))"
        return ScannerFinding(
            ruleId: "misspelling", title: "Possible misspelling",
            message: "\"\(word)\" is not in the \(dictionary) dictionary; it appears \(times) on this page. \(offered)",
            severity: .minor, severityRaw: "notice", url: url,
            selector: "\(run.selector) /* \"\(word)\" */", html: run.startTag.isEmpty ? nil : run.startTag,
            howToFix: "\(fix). If it is spelt as intended (a name, a term of the trade), add it to the scanner's "
                + "allowList in the job's configuration.", standards: SpellingSession.rule.standards, category: .content)
    }
}
