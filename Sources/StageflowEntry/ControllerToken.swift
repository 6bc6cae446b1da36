import ArgumentParser
import Foundation

/// The bearer token of a controller process talking to the API server: `STAGEFLOW_TOKEN`, else `--token-file`, else
/// the data directory's `controller-token` (which `stageflow up` creates).
enum ControllerToken {
    static func read(tokenFile: String?, dataDirectory: URL) throws -> String? {
        if let token = Environment.string("STAGEFLOW_TOKEN") { return token }
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw ValidationError("--token-file \(tokenFile): cannot be read")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let local = dataDirectory.appendingPathComponent("controller-token")
        return (try? String(contentsOf: local, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
