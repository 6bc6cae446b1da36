import Foundation
import Logging
import StageflowObjectStore

extension ScannerRunner {
    /// What `stageflow scanner run` does once its flags are parsed: opens the object store at `location`,
    /// runs the scanners, prints a one-line summary per scanner on success or one line naming the fault on
    /// stderr, and returns the exit code (0 after writing results, 2 for bad input, 1 otherwise).
    public func runCommand(objectStore location: String, planKey: String, scannerIDs: [String]) async -> Int32 {
        do {
            let store: any ObjectStore
            do {
                store = try ObjectStoreLocation(parsing: location).makeStore()
            } catch let error as ObjectStoreError {
                let kind: ScannerRunError.Kind = error.kind == .invalidConfiguration ? .badInput : .objectStore
                throw ScannerRunError(kind, "--object-store: \(error)")
            }
            for results in try await run(objectStore: store, planKey: planKey, scannerIDs: scannerIDs) {
                var summary = "\(results.scanner): \(results.status.rawValue), \(results.pages.count) page(s), \(results.findings.count) finding(s)"
                if let error = results.error { summary += " (\(error))" }
                FileHandle.standardOutput.write(Data((summary + "\n").utf8))
            }
            return 0
        } catch let error as ScannerRunError {
            Self.printError(error.message)
            return error.exitCode
        } catch {
            Self.printError("\(error)")
            return 1
        }
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data("stageflow scanner run: \(message)\n".utf8))
    }
}
