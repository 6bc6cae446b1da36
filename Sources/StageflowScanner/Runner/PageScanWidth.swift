import Foundation

/// How many pages a shared browser works on at once: as many as the machine has cores and memory for (each page
/// in flight is a tab with a renderer process of its own), and no more than any of the run's scanners accepts —
/// except a scanner that measures page loads, whose limit of one is met by loading pages one at a time
/// (`LoadGate`) rather than by narrowing the whole run.
enum PageScanWidth {
    /// Memory a tab in flight is given, in MiB.
    static let mebibytesPerTab: UInt64 = 384

    /// The width for scanners declaring `limits` (their `maxConcurrency`, load-measuring ones left out) on a
    /// machine of `cores` and `memoryMiB`.
    static func width(limits: [Int64], cores: Int, memoryMiB: UInt64) -> Int {
        let machine = max(1, min(cores, Int(clamping: memoryMiB / mebibytesPerTab)))
        let declared = limits.map { Int(clamping: max(1, $0)) }.min() ?? machine
        return max(1, min(machine, declared))
    }

    /// The cores this process may use and the memory it may take: the host's, or a container's cgroup limit
    /// when lower.
    static var machine: (cores: Int, memoryMiB: UInt64) {
        var memory = ProcessInfo.processInfo.physicalMemory / (1 << 20)
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
            let bytes = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            memory = min(memory, bytes / (1 << 20))
        }
        return (ProcessInfo.processInfo.activeProcessorCount, memory)
    }
}

/// One page load at a time, for runs with a scanner that measures loads: a tab holds the gate from navigation
/// until the measuring scanners have read the page, then lets the next tab load while it goes on with the rest.
actor LoadGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Waits for the gate.
    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the gate to the next waiting tab, or opens it.
    func leave() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
