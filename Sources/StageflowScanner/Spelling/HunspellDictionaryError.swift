/// A dictionary file that cannot be read.
public struct HunspellDictionaryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public let file: String

    /// What went wrong.
    public var description: String { "cannot load the hunspell dictionary file \(file)" }
}
