/// Names for `metadata.generateName`, made as Kubernetes makes them: the prefix (cut to 58 characters) and five
/// random characters from an alphabet without vowels or look-alikes.
enum GeneratedName {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// `prefix` followed by five random characters.
    static func make(prefix: String) -> String {
        String(prefix.prefix(63 - 5)) + String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
