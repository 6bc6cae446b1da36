import CHunspell
import Foundation

/// One hunspell dictionary (an `.aff` and `.dic` pair) loaded through the system's libhunspell.
///
/// A hunspell handle is not thread-safe, so every call goes through one lock; the handle is destroyed with
/// the dictionary. Verdicts and suggestions are remembered: the same words recur on every page of a site
/// (navigation, footers, product names), and one `Hunspell_suggest` of a word with no close match costs tens
/// of milliseconds, which made suggestions the most expensive part of a page scan. Words are passed in the dictionary's own encoding (its `SET` line: UTF-8 for current
/// dictionaries, an ISO 8859 or Windows code page for some old ones); a word the encoding cannot represent is
/// never reported as misspelt.
public final class HunspellDictionary: @unchecked Sendable {
    /// The `.aff` file.
    public let affixFile: URL
    /// The `.dic` file.
    public let wordFile: URL
    private let handle: OpaquePointer
    private let encoding: String.Encoding?
    private let lock = NSLock()
    private var verdicts: [String: Bool] = [:]
    private var suggestionLists: [String: [String]] = [:]
    /// Words remembered before the memory is cleared, so a scan of a huge site stays bounded.
    static let rememberedWords = 50_000
    /// Suggestions kept per word; callers ask for fewer.
    static let rememberedSuggestions = 10

    /// Loads a dictionary; both files must exist and be readable. Without `ngramSuggestions`, suggestions come
    /// from hunspell's edit rules only (its REP, KEY and TRY tables, which find typos); the n-gram phase, which
    /// compares a word against the whole dictionary, is switched off (`MAXNGRAMSUGS 0` appended to a copy of
    /// the affix file). Measured on the 248 distinct words hunspell flags on the docs-site corpus: 8.6 s of
    /// suggestions with the n-gram phase, 2.7 s without; the words left without a suggestion (14 → 68) are
    /// names and terms of the trade, for which n-gram guesses are unrelated words anyway.
    public init(affixFile: URL, wordFile: URL, ngramSuggestions: Bool = true) throws {
        for file in [affixFile, wordFile] where !FileManager.default.isReadableFile(atPath: file.path) {
            throw HunspellDictionaryError(file: file.path)
        }
        var affixPath = affixFile.path
        var derivedAffix: URL?
        if !ngramSuggestions {
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-\(UUID().uuidString).aff")
            guard var contents = FileManager.default.contents(atPath: affixFile.path) else { throw HunspellDictionaryError(file: affixFile.path) }
            contents.append(Data("\nMAXNGRAMSUGS 0\n".utf8))
            do {
                try contents.write(to: copy)
            } catch {
                throw HunspellDictionaryError(file: copy.path)
            }
            affixPath = copy.path
            derivedAffix = copy
        }
        // Hunspell reads both files completely here; the derived copy is not needed afterwards.
        defer { if let derivedAffix { try? FileManager.default.removeItem(at: derivedAffix) } }
        guard let handle = Self.lifecycle.withLock({ Hunspell_create(affixPath, wordFile.path) }) else {
            throw HunspellDictionaryError(file: wordFile.path)
        }
        self.affixFile = affixFile
        self.wordFile = wordFile
        self.handle = handle
        self.encoding = Hunspell_get_dic_encoding(handle).flatMap { Self.encoding(named: String(cString: $0)) }
    }

    deinit {
        Self.lifecycle.withLock { Hunspell_destroy(handle) }
    }

    /// Serialises creating and destroying handles: libhunspell keeps a process-wide UTF-8 table that each
    /// dictionary's constructor and destructor count up and down without synchronisation, so two dictionaries
    /// created or destroyed at once on different threads can free it twice (seen as "double free or
    /// corruption" with tests loading dictionaries in parallel).
    private static let lifecycle = NSLock()

    /// Whether the dictionary accepts the word (in any of the capitalisations hunspell allows).
    public func spell(_ word: String) -> Bool {
        guard let bytes = encoded(word) else { return true }
        return lock.withLock {
            if let known = verdicts[word] { return known }
            let verdict = bytes.withUnsafeBufferPointer { Hunspell_spell(handle, $0.baseAddress) != 0 }
            if verdicts.count >= Self.rememberedWords { verdicts.removeAll(keepingCapacity: true) }
            verdicts[word] = verdict
            return verdict
        }
    }

    /// Hunspell's suggestions for a word, best first, at most `limit` of them (and at most
    /// `rememberedSuggestions`).
    public func suggestions(for word: String, limit: Int) -> [String] {
        guard limit > 0, let bytes = encoded(word) else { return [] }
        return lock.withLock {
            if let known = suggestionLists[word] { return Array(known.prefix(limit)) }
            var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
            let count = bytes.withUnsafeBufferPointer { Hunspell_suggest(handle, &list, $0.baseAddress) }
            defer { if count > 0 { Hunspell_free_list(handle, &list, count) } }
            var result: [String] = []
            if count > 0, let list {
                for index in 0..<Int(count) where result.count < Self.rememberedSuggestions {
                    guard let item = list[index] else { continue }
                    if let text = decoded(item) { result.append(text) }
                }
            }
            if suggestionLists.count >= Self.rememberedWords { suggestionLists.removeAll(keepingCapacity: true) }
            suggestionLists[word] = result
            return Array(result.prefix(limit))
        }
    }

    /// The word as a NUL-terminated C string in the dictionary's encoding.
    private func encoded(_ word: String) -> [CChar]? {
        guard let encoding, let data = word.data(using: encoding, allowLossyConversion: false) else { return nil }
        return data.map { CChar(bitPattern: $0) } + [0]
    }

    private func decoded(_ text: UnsafeMutablePointer<CChar>) -> String? {
        guard let encoding else { return nil }
        let length = strlen(text)
        let data = Data(bytes: text, count: length)
        return String(data: data, encoding: encoding)
    }

    /// The Foundation encoding of a hunspell `SET` name; `nil` for one Foundation does not know.
    static func encoding(named name: String) -> String.Encoding? {
        switch name.uppercased().replacingOccurrences(of: "_", with: "-") {
        case "UTF-8", "UTF8": return .utf8
        case "ISO8859-1", "ISO-8859-1", "LATIN1": return .isoLatin1
        case "ISO8859-2", "ISO-8859-2", "LATIN2": return .isoLatin2
        case "MICROSOFT-CP1250", "CP1250", "WINDOWS-1250": return .windowsCP1250
        case "MICROSOFT-CP1251", "CP1251", "WINDOWS-1251": return .windowsCP1251
        case "MICROSOFT-CP1252", "CP1252", "WINDOWS-1252": return .windowsCP1252
        case "MICROSOFT-CP1253", "CP1253", "WINDOWS-1253": return .windowsCP1253
        case "MICROSOFT-CP1254", "CP1254", "WINDOWS-1254": return .windowsCP1254
        default: return nil
        }
    }
}
