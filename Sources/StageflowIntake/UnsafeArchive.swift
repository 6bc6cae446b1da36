/// An uploaded archive refused because extracting it could escape, or flood, the job's workspace: the job
/// fails with reason `UnsafeArchive` and this message, which names the check and the entry
/// (`entry 4 "../../etc/passwd": path leaves the workspace`).
public struct UnsafeArchive: Error, Sendable, Hashable, CustomStringConvertible {
    /// The check that failed.
    public struct Check: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case notAZip, corrupt, tooManyEntries, nameTooLong, invalidName, nulByte, controlCharacter, backslash
            case absolutePath, driveLetter, pathTraversal, symlink, specialFile, encrypted, unsupportedCompression
            case duplicateEntry, pathConflict, entryTooLarge, totalTooLarge, expansionRatio, sizeMismatch
            case checksumMismatch
        }
        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// The file is not a ZIP archive (no end-of-central-directory record).
        public static let notAZip = Check(.notAZip)
        /// The archive is truncated or its structures are inconsistent.
        public static let corrupt = Check(.corrupt)
        /// More entries than `Limits.maxEntries`.
        public static let tooManyEntries = Check(.tooManyEntries)
        /// A name longer than `Limits.maxNameLength`.
        public static let nameTooLong = Check(.nameTooLong)
        /// A name that is empty or not UTF-8.
        public static let invalidName = Check(.invalidName)
        /// A name with a NUL byte.
        public static let nulByte = Check(.nulByte)
        /// A name with another control character.
        public static let controlCharacter = Check(.controlCharacter)
        /// A name with a backslash (a Windows separator that could hide `..\`).
        public static let backslash = Check(.backslash)
        /// An absolute path.
        public static let absolutePath = Check(.absolutePath)
        /// A path starting with a drive letter (`C:`).
        public static let driveLetter = Check(.driveLetter)
        /// A `..` component.
        public static let pathTraversal = Check(.pathTraversal)
        /// A symbolic link entry.
        public static let symlink = Check(.symlink)
        /// A device, FIFO or socket entry.
        public static let specialFile = Check(.specialFile)
        /// An encrypted entry.
        public static let encrypted = Check(.encrypted)
        /// A compression method other than stored or deflate.
        public static let unsupportedCompression = Check(.unsupportedCompression)
        /// Two entries with the same path.
        public static let duplicateEntry = Check(.duplicateEntry)
        /// A path whose parent is a file, not a directory.
        public static let pathConflict = Check(.pathConflict)
        /// An entry larger than `Limits.maxEntryBytes`.
        public static let entryTooLarge = Check(.entryTooLarge)
        /// More than `Limits.maxTotalBytes` in all.
        public static let totalTooLarge = Check(.totalTooLarge)
        /// More than `Limits.maxExpansionRatio` times the archive's size.
        public static let expansionRatio = Check(.expansionRatio)
        /// An entry that inflates to a size other than its central directory declares.
        public static let sizeMismatch = Check(.sizeMismatch)
        /// An entry whose CRC-32 is not the one declared.
        public static let checksumMismatch = Check(.checksumMismatch)

        /// `pathTraversal`.
        public var description: String { code.rawValue }
    }

    /// The check that failed.
    public let check: Check
    /// The 1-based position of the entry in the central directory, when one entry is at fault.
    public let entryIndex: Int?
    /// The entry's name as stored, when one entry is at fault.
    public let entryName: String?
    /// What is wrong, without the entry prefix.
    public let reason: String

    /// A refusal.
    public init(_ check: Check, entryIndex: Int? = nil, entryName: String? = nil, reason: String) {
        self.check = check
        self.entryIndex = entryIndex
        self.entryName = entryName
        self.reason = reason
    }

    /// `entry 4 "../../etc/passwd": path leaves the workspace`, or the reason alone for the whole archive.
    public var description: String {
        guard let entryIndex else { return reason }
        var name = entryName ?? ""
        if name.count > 120 { name = String(name.prefix(120)) + "…" }
        return "entry \(entryIndex) \(String(reflecting: name)): \(reason)"
    }
}

/// The workspace could not be prepared or written (not empty, disk full, permissions): an operational
/// failure, not a verdict on the archive.
public struct ArchiveWorkspaceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The workspace directory.
    public let path: String
    /// What went wrong.
    public let message: String

    /// An error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `workspace /tmp/x: not empty`.
    public var description: String { "workspace \(path): \(message)" }
}
