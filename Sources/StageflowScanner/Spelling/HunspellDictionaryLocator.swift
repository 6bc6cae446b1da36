import Foundation

/// Finds the hunspell dictionary for a page's language: the BCP 47 tag of `<html lang>` (`en`, `en-GB`,
/// `de-DE`, `pt-br`) becomes hunspell file names (`en_US`, `en_GB`, `de_DE`, `pt_BR`), looked up in the
/// directories of `$STAGEFLOW_HUNSPELL_PATH` (colon-separated, searched first so an operator can override)
/// and then `/usr/share/hunspell`.
public struct HunspellDictionaryLocator: Sendable {
    /// The directories searched, in order.
    public let directories: [URL]

    /// The system's dictionary directory.
    public static let systemDirectory = URL(fileURLWithPath: "/usr/share/hunspell")

    /// The language used when a page does not declare one.
    public static let defaultLanguage = "en-US"

    /// A locator over explicit directories.
    public init(directories: [URL]) {
        self.directories = directories
    }

    /// The standard search path: `$STAGEFLOW_HUNSPELL_PATH`, then `/usr/share/hunspell`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let extra = (environment["STAGEFLOW_HUNSPELL_PATH"] ?? "").split(separator: ":").map {
            URL(fileURLWithPath: String($0))
        }
        self.init(directories: extra + [Self.systemDirectory])
    }

    /// Region used for a bare language tag, where it is not the language code in capitals.
    static let defaultRegions: [String: String] = [
        "en": "US", "cs": "CZ", "da": "DK", "el": "GR", "et": "EE", "he": "IL", "hi": "IN", "ja": "JP", "ko": "KR",
        "nb": "NO", "nn": "NO", "sl": "SI", "sq": "AL", "sr": "RS", "sv": "SE", "uk": "UA", "vi": "VN", "zh": "CN",
        "ca": "ES", "eu": "ES", "gl": "ES", "fa": "IR", "ga": "IE", "cy": "GB", "ka": "GE", "kk": "KZ", "be": "BY",
    ]

    /// Hunspell dictionary names to try for a language tag, best first.
    public static func candidateNames(for language: String) -> [String] {
        let parts = language.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "-" || $0 == "_" })
        guard let first = parts.first, !first.isEmpty else { return [] }
        let code = first.lowercased()
        // The region is the first two-letter or three-digit subtag after the language (scripts have four).
        let region = parts.dropFirst().first { $0.count == 2 || ($0.count == 3 && $0.allSatisfy(\.isNumber)) }
        var names: [String] = []
        if let region { names.append("\(code)_\(region.uppercased())") }
        if let preferred = defaultRegions[code] { names.append("\(code)_\(preferred)") }
        names.append("\(code)_\(code.uppercased())")
        names.append(code)
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// The `.aff` and `.dic` files for a language: the first candidate name present in a directory, else any
    /// installed dictionary of the same language (`de_AT` for `de`); `nil` when there is none.
    public func locate(_ language: String) -> (affixFile: URL, wordFile: URL)? {
        let names = Self.candidateNames(for: language)
        for name in names {
            for directory in directories {
                let affix = directory.appendingPathComponent(name + ".aff")
                let words = directory.appendingPathComponent(name + ".dic")
                if Self.exists(affix), Self.exists(words) { return (affix, words) }
            }
        }
        guard let code = names.last else { return nil }
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files.sorted() where file.hasPrefix(code + "_") && file.hasSuffix(".dic") {
                let stem = String(file.dropLast(4))
                let affix = directory.appendingPathComponent(stem + ".aff")
                if Self.exists(affix) { return (affix, directory.appendingPathComponent(file)) }
            }
        }
        return nil
    }

    /// Why `locate` found nothing, for a page error a person can act on.
    public func missingDescription(for language: String) -> String {
        let names = Self.candidateNames(for: language).joined(separator: ", ")
        let searched = directories.map(\.path).joined(separator: ", ")
        return "no hunspell dictionary for language \"\(language)\" (looked for \(names.isEmpty ? "nothing" : names) in "
            + "\(searched)); install a hunspell dictionary for it or add its directory to STAGEFLOW_HUNSPELL_PATH"
    }

    private static func exists(_ url: URL) -> Bool {
        FileManager.default.isReadableFile(atPath: url.path)
    }
}
