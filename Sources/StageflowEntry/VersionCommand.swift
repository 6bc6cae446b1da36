import ArgumentParser
import StageflowAPI
import StageflowController

/// `stageflow version`: the release, the API it serves and the scanners compiled into this binary.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the release of this build, the API group it serves and its built-in scanners."
    )

    func run() throws {
        print("stageflow \(StageflowRelease.version)")
        print("API \(ResourceKind.group)/\(ResourceKind.version)")
        let scanners = try ScannerRegistry.embeddedBuiltins().map { entry in
            let spec = entry.scanner[path: ["spec"]]
            return "\(spec?["id"]?.stringValue ?? "?") \(spec?["version"]?.stringValue ?? "?")"
        }
        print("built-in scanners: \(scanners.joined(separator: ", "))")
    }
}
