extension ObjectKeys {
    /// The longest key accepted, in UTF-8 bytes (S3's limit).
    public static let maximumKeyLength = 1024

    /// Names reserved for a filesystem store's temporary files; no key segment may start with it.
    public static let reservedSegmentPrefix = ".stageflow-partial-"

    /// Checks that `key` is a safe relative `/`-separated path: not empty, at most `maximumKeyLength` bytes, not
    /// absolute, no empty, `.` or `..` segment, no backslash, NUL or other control character, no segment starting
    /// with `reservedSegmentPrefix`. Throws `ObjectStoreError` of kind `.invalidKey` naming the key and the rule.
    public static func validate(_ key: String, store: String = "object store") throws {
        if let problem = problem(with: key) {
            throw ObjectStoreError(.invalidKey, store: store, key: key, message: "invalid object key: \(problem)")
        }
    }

    /// Checks a listing or deletion prefix: empty, or a valid key optionally followed by one `/`.
    public static func validate(prefix: String, store: String = "object store") throws {
        guard !prefix.isEmpty else { return }
        let body = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if let problem = problem(with: body) {
            throw ObjectStoreError(.invalidKey, store: store, key: prefix, message: "invalid key prefix: \(problem)")
        }
    }

    /// Checks that `value` can be one segment of a key (a job uid, a file name, a page id); `field` names it in
    /// the error.
    static func validate(segment value: String, field: String) throws {
        if value.contains("/") {
            throw ObjectStoreError(
                .invalidKey, store: "object key layout", key: value, message: "\(field) must not contain '/'")
        }
        if let problem = problem(with: value) {
            throw ObjectStoreError(.invalidKey, store: "object key layout", key: value, message: "invalid \(field): \(problem)")
        }
    }

    private static func problem(with key: String) -> String? {
        if key.isEmpty { return "it is empty" }
        if key.utf8.count > maximumKeyLength { return "it is longer than \(maximumKeyLength) bytes" }
        if key.hasPrefix("/") { return "it is an absolute path (starts with '/')" }
        if key.contains("\\") { return "it contains a backslash" }
        if key.unicodeScalars.contains(where: { $0.value == 0 }) { return "it contains a NUL character" }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "it contains a control character"
        }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "it has an empty segment ('//' or a trailing '/')" }
            if segment == "." || segment == ".." { return "it has a '\(segment)' segment" }
            if segment.hasPrefix(reservedSegmentPrefix) {
                return "segments starting with '\(reservedSegmentPrefix)' are reserved"
            }
        }
        return nil
    }
}
