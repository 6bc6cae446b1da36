import Foundation
import StageflowController
import StageflowScanner

/// The checks of what scans need on this machine: the browser, axe-core, a hunspell dictionary and the scanner
/// manifests.
struct MachineChecks {
    let environment: [String: String]
    let options: ControllerOptions

    /// Chromium, found where the browser scanners look, and the version it reports.
    func chromium() -> DoctorFinding {
        let executable: String
        do {
            executable = try ScannerPrerequisites.chromiumExecutable(environment: environment)
        } catch {
            return .fail(
                "chromium", "\(error)",
                fix: "apt-get install chromium (or bash scripts/install-dependencies), or set STAGEFLOW_CHROMIUM to the browser")
        }
        guard let version = Self.output(of: executable, ["--version"]), !version.isEmpty else {
            return .fail(
                "chromium", "\(executable) does not answer --version", fix: "reinstall Chromium or point STAGEFLOW_CHROMIUM elsewhere")
        }
        return .ok("chromium", "\(executable) (\(version))")
    }

    /// axe-core's script, as the `axe` scanner loads it.
    func axeCore() -> DoctorFinding {
        do {
            return .ok("axe-core", "axe-core \(try ScannerPrerequisites.axeCoreVersion(environment: environment))")
        } catch {
            return .fail(
                "axe-core", "\(error)",
                fix: "bash scripts/install-dependencies (axe.min.js from the PyPI wheel axe-playwright-python 0.1.8), or set STAGEFLOW_AXE_SCRIPT")
        }
    }

    /// The hunspell dictionary of the default language, as the `spelling` scanner finds it.
    func hunspell() -> DoctorFinding {
        let locator = HunspellDictionaryLocator(environment: environment)
        let language = HunspellDictionaryLocator.defaultLanguage
        guard let files = locator.locate(language) else {
            return .fail(
                "hunspell", locator.missingDescription(for: language),
                fix: "apt-get install hunspell-en-us (and a dictionary for every language the scanned sites use)")
        }
        return .ok("hunspell", "\(language): \(files.wordFile.path)")
    }

    /// The scanner manifests a controller started with these flags would register.
    func scanners() -> DoctorFinding {
        do {
            let registry = try options.scannerRegistry(environment: environment)
            let ids = registry.entries.compactMap { $0.scanner[path: ["spec", "id"]]?.stringValue }
            return .ok("scanners", "\(ids.count) registered: \(ids.joined(separator: ", "))")
        } catch {
            return .fail("scanners", "\(error)", fix: "drop --manifests-dir, or fix the manifest named")
        }
    }

    /// The first line a program prints, or `nil` when it cannot be run or says nothing within 20 seconds.
    static func output(of executable: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }
}
