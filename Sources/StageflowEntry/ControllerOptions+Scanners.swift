import Foundation
import StageflowController

extension ControllerOptions {
    /// The scanners a controller registers: the built-in manifests compiled into the binary (or, with
    /// `--manifests-dir`, the ones in that directory instead), then the plugin directories. Refuses a
    /// `--manifests-dir` that holds no manifest, and an empty result, naming where it looked.
    func scannerRegistry(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ScannerRegistry {
        let plugins = ScannerRegistry.pluginDirectories(pluginDirs.map { URL(fileURLWithPath: $0) }, environment: environment)
        let builtins: [ScannerRegistry.Entry]
        let builtinPlace: String
        if let manifestsDir {
            let directory = URL(fileURLWithPath: manifestsDir)
            builtins = try ScannerRegistry(directories: [directory]).entries
            guard !builtins.isEmpty else {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
                let why = !exists ? "does not exist" : !isDirectory.boolValue ? "is not a directory" : "holds no *.yaml, *.yml or *.json manifest"
                throw NoScannersError(searched: [directory.path], reason: "--manifests-dir \(manifestsDir) \(why)")
            }
            builtinPlace = directory.path
        } else {
            builtins = try ScannerRegistry.embeddedBuiltins()
            builtinPlace = "the manifests compiled into stageflow"
        }
        let registry = try ScannerRegistry(builtins: builtins, directories: plugins)
        guard !registry.entries.isEmpty else { throw NoScannersError(searched: [builtinPlace] + plugins.map(\.path)) }
        return registry
    }
}
