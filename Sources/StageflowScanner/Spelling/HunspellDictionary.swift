import CHunspell
import Foundation

/// One hunspell dictionary (an `.aff` and `.dic` pair) loaded through the system's libhunspell.
///
/// A hunspell handle is not thread-safe, so every call goes through one lock; the handle is destroyed with
/// the dictionary. Words are passed in the dictionary's own encoding (its `SET` line: UTF-8 for current
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

    /// Loads a dictionary; both files must exist and be readable.
    public init(affixFile: URL, wordFile: URL) throws {
        for file in [affixFile, wordFile] where !FileManager.default.isReadableFile(atPath: file.path) {
            throw HunspellDictionaryError(file: file.path)
        }
        guard let handle = Hunspell_create(affixFile.path, wordFile.path) else {
            throw HunspellDictionaryError(file: wordFile.path)
        }
        self.affixFile = affixFile
        self.wordFile = wordFile
        self.handle = handle
        self.encoding = Hunspell_get_dic_encoding(handle).flatMap { Self.encoding(named: String(cString: $0)) }
    }

    deinit {
        Hunspell_destroy(handle)
    }

    /// Whether the dictionary accepts the word (in any of the capitalisations hunspell allows).
    public func spell(_ word: String) -> Bool {
        guard let bytes = encoded(word) else { return true }
        return lock.withLock { bytes.withUnsafeBufferPointer { Hunspell_spell(handle, $0.baseAddress) != 0 } }
    }

    /// Hunspell's suggestions for a word, best first, at most `limit` of them.
    public func suggestions(for word: String, limit: Int) -> [String] {
        guard limit > 0, let bytes = encoded(word) else { return [] }
        return lock.withLock {
            var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
            let count = bytes.withUnsafeBufferPointer { Hunspell_suggest(handle, &list, $0.baseAddress) }
            defer { if count > 0 { Hunspell_free_list(handle, &list, count) } }
            guard count > 0, let list else { return [] }
            var result: [String] = []
            for index in 0..<Int(count) where result.count < limit {
                guard let item = list[index] else { continue }
                if let text = decoded(item) { result.append(text) }
            }
            return result
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
