import Foundation

/// Where the package, its manifests and the shared corpus are.
enum TestPaths {
    /// The package root (symlinks resolved, so a throwaway package that links the sources finds the checkout).
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared corpus: `$STAGEFLOW_CORPUS`, or `../shared/corpus` next to the package.
    static let corpus: URL = {
        if let path = ProcessInfo.processInfo.environment["STAGEFLOW_CORPUS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return root.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }()

    /// `corpus/headers/observatory-header-cases.json`.
    static let headerCases = corpus.appendingPathComponent("headers/observatory-header-cases.json")

    /// `corpus/docs-site/`.
    static let docsSite = corpus.appendingPathComponent("docs-site")

    /// The example exec plugin.
    static let examplePlugin = root.appendingPathComponent("manifests/plugins/title-length.py")

    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }
}
