import Foundation
import StageflowAPI
import StageflowCLI
import Testing

@Suite("Scan progress: reading it from a ScanJob and drawing it")
struct ProgressTests {
    static func job(phase: String, states: [(String, String)], pages: (Int64, Int64)? = nil) -> JSONValue {
        var status: [String: JSONValue] = [
            "phase": .string(phase),
            "scanners": .array(states.map { ["name": .string($0.0), "state": .string($0.1)] }),
        ]
        if let pages { status["pages"] = ["scanned": .int(pages.0), "total": .int(pages.1)] }
        return [
            "metadata": ["name": "nightly"],
            "spec": ["scanners": .array(states.map { ["name": .string($0.0)] })],
            "status": .object(status),
        ]
    }

    @Test func progressIsReadFromTheStatus() {
        let progress = ScanProgress(job: Self.job(phase: "Scanning", states: [("security-headers", "Succeeded"), ("link-checker", "Running")], pages: (1, 2)))
        #expect(progress.phase == "Scanning")
        #expect(progress.scannersFinished == 1)
        #expect(progress.scannersTotal == 2)
        #expect(progress.running == ["link-checker"])
        #expect(progress.detail == "Scanning · scanners 1/2 · running link-checker · pages 1/2")
        #expect(!progress.isFinished)
        let fresh = ScanProgress(job: ["metadata": ["name": "x"], "spec": ["scanners": [["name": "a"]]]])
        #expect(fresh.phase == "Pending")
        #expect(fresh.scannersTotal == 1)
        #expect(fresh.fraction == 0)
        #expect(ScanProgress(job: Self.job(phase: "Failed", states: [("a", "Failed")])).isFinished)
    }

    @Test func barFillsWithTheScannersThatFinished() {
        let renderer = ProgressRenderer(width: 10)
        #expect(renderer.bar(ScanProgress(phase: "Pending")) == "[>         ]   0% Pending")
        let half = ScanProgress(phase: "Scanning", scannersFinished: 1, scannersTotal: 2)
        #expect(renderer.bar(half) == "[=====>    ]  50% Scanning · scanners 1/2")
        #expect(renderer.bar(ScanProgress(phase: "Done", scannersFinished: 2, scannersTotal: 2)) == "[==========] 100% Done · scanners 2/2")
        #expect(renderer.line(half, name: "nightly") == "scanjobs/nightly: Scanning · scanners 1/2")
    }

    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [String] = []
        func append(_ text: String) {
            lock.lock()
            parts.append(text)
            lock.unlock()
        }
        var text: [String] {
            lock.lock()
            defer { lock.unlock() }
            return parts
        }
    }

    @Test func plainOutputPrintsOneLinePerChange() {
        let recorder = Recorder()
        let display = ProgressDisplay(name: "nightly", style: .plain, write: { recorder.append($0) })
        let scanning = ScanProgress(phase: "Scanning", scannersFinished: 0, scannersTotal: 2)
        display.update(scanning)
        display.update(scanning)
        display.update(ScanProgress(phase: "Scanning", scannersFinished: 1, scannersTotal: 2))
        display.finish()
        #expect(recorder.text == ["scanjobs/nightly: Scanning · scanners 0/2\n", "scanjobs/nightly: Scanning · scanners 1/2\n"])
    }

    @Test func terminalOutputRedrawsOneLineInPlace() {
        let recorder = Recorder()
        let display = ProgressDisplay(name: "nightly", style: .interactive, renderer: ProgressRenderer(width: 4), write: { recorder.append($0) })
        display.update(ScanProgress(phase: "Pending"))
        display.update(ScanProgress(phase: "Pending"))
        display.update(ScanProgress(phase: "Done"))
        display.finish()
        #expect(recorder.text == ["\r\u{1B}[2K[>   ]   0% Pending", "\r\u{1B}[2K[====] 100% Done", "\n"])
    }
}
