import Foundation

extension ScannerRegistry {
    /// The built-in scanner manifests compiled into this binary (`Resources/Scanners`, which `manifests/scanners`
    /// links to), by file name: an installed `stageflow` registers its scanners without any file beside it.
    static let embeddedManifestFiles: [(name: String, bytes: [UInt8])] = [
        ("ai-navigator.yaml", PackageResources.ai_navigator_yaml),
        ("axe.yaml", PackageResources.axe_yaml),
        ("lighthouse.yaml", PackageResources.lighthouse_yaml),
        ("link-checker.yaml", PackageResources.link_checker_yaml),
        ("open-graph.yaml", PackageResources.open_graph_yaml),
        ("performance.yaml", PackageResources.performance_yaml),
        ("security-headers.yaml", PackageResources.security_headers_yaml),
        ("seo.yaml", PackageResources.seo_yaml),
        ("spelling.yaml", PackageResources.spelling_yaml),
    ]

    /// The names of the compiled-in manifest files, for tests and `stageflow version`.
    public static var embeddedManifestNames: [String] { embeddedManifestFiles.map(\.name) }

    /// The compiled-in manifests, validated as files are; each one's source reads `builtin:<file>`.
    public static func embeddedBuiltins() throws -> [Entry] {
        try embeddedManifestFiles.map { file in
            try parse(String(decoding: file.bytes, as: UTF8.self), source: "builtin:\(file.name)", isJSON: false)
        }
    }

    /// The directories searched for plugins after the built-ins: the operator's `pluginDirectories`
    /// (`--plugin-dir`), `/plugins`, `~/.stageflow/plugins`, then each entry of `PLUGIN_PATHS`.
    public static func pluginDirectories(
        _ pluginDirectories: [URL] = [], environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [URL] {
        var directories = pluginDirectories + [URL(fileURLWithPath: "/plugins")]
        directories.append(URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".stageflow/plugins"))
        for path in (environment["PLUGIN_PATHS"] ?? "").split(separator: ":") where !path.isEmpty {
            directories.append(URL(fileURLWithPath: String(path)))
        }
        return directories
    }
}
