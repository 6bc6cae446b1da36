import Foundation
import StageflowThrowaway

/// Debian's `linkchecker` over a site, as a user would run it with its rate limit lifted and 16 threads, internal
/// links only: the baseline the link-checker is compared with.
enum LinkcheckerBaseline {
    /// Seconds `linkchecker` took over `base` and the error rows it reported.
    static func run(base: String) throws -> (seconds: Double, errorRows: Int) {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-bench-linkcheckerrc-\(UUID().uuidString)")
        try "[checking]\nmaxrequestspersecond=1000\nthreads=16\n[filtering]\ncheckextern=0\n".write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: config) }
        let start = ContinuousClock.now
        let reference = try StageflowThrowaway.run(
            "/usr/bin/linkchecker", ["--config", config.path, "--no-status", "--no-warnings", "-o", "csv", base])
        let seconds = (ContinuousClock.now - start).seconds
        let rows = reference.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(";") }.count - 1
        return (seconds, max(0, rows))
    }
}
