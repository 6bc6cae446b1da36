import Foundation

/// The words of a page's visible text that a spelling dictionary can judge.
///
/// Words are split at word boundaries after Unicode's (UAX #29) rules, reduced to what prose needs: letters,
/// marks, digits and connector punctuation make up words; an apostrophe or a full stop between two word
/// characters joins them (`don't`, `e.g`); everything else (spaces, hyphens, slashes, other punctuation)
/// separates. What is not prose is left out: whitespace-separated tokens that are URLs, e-mail addresses or
/// paths, words with digits, ALL-CAPS words (acronyms), camelCase and snake_case identifiers, dotted words
/// (abbreviations, domain names), and words shorter than the minimum length (single letters always). A
/// possessive `'s` and surrounding apostrophes are stripped, and typographic apostrophes become `'`.
public struct ProseWords: Sendable {
    /// One word and where it is.
    public struct Word: Sendable, Hashable {
        /// The word as it will be checked.
        public var text: String
        /// Index of the `VisibleText` run it starts in.
        public var run: Int

        /// A word.
        public init(text: String, run: Int) {
            self.text = text
            self.run = run
        }
    }

    /// The words, in document order.
    public let words: [Word]

    /// The checkable words of `runs`; `minimumLength` (at least 2) is counted in characters.
    public init(runs: [VisibleText.Run], minimumLength: Int = 2) {
        let shortest = max(2, minimumLength)
        var words: [Word] = []
        var index = 0
        while index < runs.count {
            // A segment: a run and the ones that continue it across inline formatting.
            var characters: [Character] = []
            var starts: [(offset: Int, run: Int)] = []
            repeat {
                starts.append((characters.count, index))
                characters.append(contentsOf: runs[index].text)
                index += 1
            } while index < runs.count && runs[index].continuesPrevious
            for (text, offset) in Self.words(in: characters) {
                guard let word = Self.checkable(text, minimumLength: shortest) else { continue }
                let run = starts.last { $0.offset <= offset }?.run ?? starts[0].run
                words.append(Word(text: word, run: run))
            }
        }
        self.words = words
    }

    /// The raw words of a text and their character offsets, tokens that are not prose skipped.
    static func words(in characters: [Character]) -> [(String, Int)] {
        var result: [(String, Int)] = []
        var position = 0
        while position < characters.count {
            guard !characters[position].isWhitespace else {
                position += 1
                continue
            }
            var end = position
            while end < characters.count, !characters[end].isWhitespace { end += 1 }
            let token = characters[position..<end]
            if !isAddress(String(token)) { result += split(token, base: position) }
            position = end
        }
        return result
    }

    /// Splits one whitespace-free token at word boundaries.
    static func split(_ token: ArraySlice<Character>, base: Int) -> [(String, Int)] {
        var result: [(String, Int)] = []
        var current = ""
        var start = 0
        var index = token.startIndex
        while index < token.endIndex {
            let character = token[index]
            if isWordCharacter(character) {
                if current.isEmpty { start = index }
                current.append(character)
            } else if !current.isEmpty, isJoiner(character), index + 1 < token.endIndex,
                isWordCharacter(token[index + 1])
            {
                current.append(character)
            } else if !current.isEmpty {
                result.append((current, start))
                current = ""
            }
            index += 1
        }
        if !current.isEmpty { result.append((current, start)) }
        return result.map { ($0.0, $0.1 - token.startIndex + base) }
    }

    /// The word as the dictionary should see it, or `nil` when it is not prose.
    static func checkable(_ raw: String, minimumLength: Int) -> String? {
        var word = raw.replacingOccurrences(of: "\u{2019}", with: "'").replacingOccurrences(of: "\u{02BC}", with: "'")
        while word.hasPrefix("'") { word.removeFirst() }
        while word.hasSuffix("'") { word.removeLast() }
        if word.count > 2, word.lowercased().hasSuffix("'s") { word.removeLast(2) }
        while word.hasSuffix("'") { word.removeLast() }
        guard word.count >= minimumLength else { return nil }
        if word.contains(where: { $0.isNumber || $0 == "_" || $0 == "." }) { return nil }
        let letters = word.filter(\.isLetter)
        if letters.count >= 2, letters.allSatisfy({ $0.isUppercase || !$0.isCased }) && letters.contains(where: \.isUppercase) {
            return nil
        }
        // camelCase: an upper-case letter right after a lower-case one.
        var previous: Character?
        for character in word {
            if let previous, previous.isLowercase, character.isUppercase { return nil }
            previous = character
        }
        return word
    }

    /// URLs, e-mail addresses, handles and paths, with surrounding punctuation ignored.
    static func isAddress(_ token: String) -> Bool {
        let trimmed = token.trimmingCharacters(in: .punctuationCharacters.union(.symbols).subtracting(CharacterSet(charactersIn: "/~\\")))
        let lowered = trimmed.lowercased()
        if lowered.contains("://") || lowered.hasPrefix("www.") || lowered.hasPrefix("mailto:") { return true }
        if lowered.contains("@") { return true }
        if lowered.hasPrefix("/") || lowered.hasPrefix("~/") || lowered.hasPrefix("./") || lowered.contains("\\") {
            return true
        }
        return false
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
            || character.unicodeScalars.first?.properties.generalCategory == .nonspacingMark
    }

    static func isJoiner(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}" || character == "\u{02BC}" || character == "."
    }
}
