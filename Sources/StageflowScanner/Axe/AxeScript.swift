import Foundation

/// axe-core's `axe.min.js`, installed at set-up time from a registry package (never vendored): looked for at
/// `$STAGEFLOW_AXE_SCRIPT`, then where `scripts/install-dependencies` puts it.
struct AxeScript: Sendable {
    /// The script's source.
    let source: String
    /// `4.12.1`, from the script's banner.
    let version: String

    /// Where the script is looked for, in order, when `STAGEFLOW_AXE_SCRIPT` is not set.
    static let defaultLocations = [
        "/usr/local/share/stageflow/axe/axe.min.js", "/usr/share/stageflow/axe/axe.min.js",
    ]

    /// Loads the script from the configured or default locations; a clear error when it is missing.
    static func load(configured: String? = ProcessInfo.processInfo.environment["STAGEFLOW_AXE_SCRIPT"]) throws -> AxeScript {
        let locations = configured.map { [$0] } ?? defaultLocations
        for path in locations {
            guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { continue }
            let source = String(decoding: data, as: UTF8.self)
            guard let version = version(in: source) else {
                throw ScannerRunError(.badInput, "\(path) is not axe-core's axe.min.js (no \"axe v…\" banner)")
            }
            return AxeScript(source: source, version: version)
        }
        throw ScannerRunError(
            .badInput,
            "axe-core is not installed: no axe.min.js at \(locations.joined(separator: " or ")); run scripts/install-dependencies "
                + "(it takes axe.min.js from the PyPI wheel axe-playwright-python 0.1.8) or set STAGEFLOW_AXE_SCRIPT")
    }

    /// The version in the banner `/*! axe v4.12.1`.
    static func version(in source: String) -> String? {
        guard let range = source.prefix(200).range(of: "axe v") else { return nil }
        let version = source[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        return version.isEmpty ? nil : String(version)
    }
}
