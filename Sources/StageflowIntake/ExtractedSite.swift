import Foundation

/// The pages of an extracted static site.
public enum ExtractedSite {
    /// Paths of the HTML pages under `root`, relative to it, as a browser asks for them: a directory's
    /// `index.html` as the directory (`""` for the root, `docs/`), other pages by name (`about.html`). The root
    /// comes first, then the rest in path order; at most `limit`. Throws when `root` is not a directory.
    public static func pages(in root: String, limit: Int) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
            let walker = FileManager.default.enumerator(atPath: root)
        else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: root])
        }
        var pages: [String] = []
        while let path = walker.nextObject() as? String {
            guard walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular else { continue }
            let lowered = path.lowercased()
            guard lowered.hasSuffix(".html") || lowered.hasSuffix(".htm") else { continue }
            let name = (path as NSString).lastPathComponent
            pages.append(name == "index.html" ? String(path.dropLast(name.count)) : path)
        }
        pages.sort { lhs, rhs in
            if lhs.isEmpty != rhs.isEmpty { return lhs.isEmpty }
            return lhs < rhs
        }
        return Array(pages.prefix(limit))
    }
}
