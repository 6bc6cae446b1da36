import Foundation
import Testing

@testable import StageflowScanner

@Suite("Page scan width")
struct PageScanWidthTests {
    @Test("the machine and the scanners' limits bound the width; a load-measuring scanner does not narrow it")
    func width() {
        #expect(PageScanWidth.width(limits: [2, 4, 4], cores: 2, memoryMiB: 16_000) == 2)
        #expect(PageScanWidth.width(limits: [4, 4], cores: 8, memoryMiB: 16_000) == 4)
        #expect(PageScanWidth.width(limits: [4, 4], cores: 8, memoryMiB: 1_000) == 2, "memory for two tabs")
        #expect(PageScanWidth.width(limits: [], cores: 2, memoryMiB: 16_000) == 2, "only a load-measuring scanner")
        #expect(PageScanWidth.width(limits: [1], cores: 8, memoryMiB: 16_000) == 1)
        #expect(PageScanWidth.width(limits: [4], cores: 1, memoryMiB: 100) == 1)
    }

    @Test("the load gate lets one holder in at a time, in order")
    func loadGate() async {
        let gate = LoadGate()
        let log = Occupancy()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await gate.enter()
                    await log.enter()
                    try? await Task.sleep(for: .milliseconds(5))
                    await log.leave()
                    await gate.leave()
                }
            }
        }
        #expect(await log.most == 1)
        #expect(await log.entries == 8)
    }
}

/// How many are inside at once, at most.
actor Occupancy {
    private(set) var most = 0
    private(set) var entries = 0
    private var inside = 0

    func enter() {
        inside += 1
        entries += 1
        most = max(most, inside)
    }

    func leave() { inside -= 1 }
}
