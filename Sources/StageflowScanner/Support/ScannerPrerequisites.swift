import Foundation

/// What the built-in scanners need from the machine, found exactly where a scan will look for it, so that
/// `stageflow doctor` reports what a scan would meet. Each lookup throws the same error, with the same fix, that
/// the scanner itself would end with.
public enum ScannerPrerequisites {
    /// The Chromium executable the browser scanners start (`$STAGEFLOW_CHROMIUM`, else the usual names on `PATH`).
    public static func chromiumExecutable(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        try ChromiumProcess.locate(environment["STAGEFLOW_CHROMIUM"], path: environment["PATH"])
    }

    /// The version of axe-core's `axe.min.js` the `axe` scanner injects (`$STAGEFLOW_AXE_SCRIPT`, else where
    /// `scripts/install-dependencies` puts it).
    public static func axeCoreVersion(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        try AxeScript.load(configured: environment["STAGEFLOW_AXE_SCRIPT"]).version
    }
}
