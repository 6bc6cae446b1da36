@testable import StageflowController
import Testing

@Suite("Delay heap")
struct DelayHeapTests {
    @Test("one entry per key, at its earliest due time")
    func earliestWins() {
        var heap = DelayHeap<String, Int>()
        heap.schedule("a", at: 10)
        heap.schedule("a", at: 5)
        heap.schedule("a", at: 20)
        #expect(heap.count == 1)
        #expect(heap.due("a") == 5)
        let none = heap.popDue(4)
        let due = heap.popDue(5)
        #expect(none == [])
        #expect(due == ["a"])
        #expect(heap.count == 0)
        // The entries the earlier time made stale never surface.
        let stale = heap.popDue(100)
        let earliest = heap.earliest()
        #expect(stale == [])
        #expect(earliest == nil)
    }

    @Test("keys come out in due order; equal times in the order they were scheduled")
    func order() {
        var heap = DelayHeap<String, Int>()
        for (key, due) in [("c", 30), ("a", 10), ("d", 30), ("b", 20), ("e", 5)] { heap.schedule(key, at: due) }
        let earliest = heap.earliest()
        let byTwentyFive = heap.popDue(25)
        let byThirty = heap.popDue(30)
        #expect(earliest == 5)
        #expect(byTwentyFive == ["e", "a", "b"])
        #expect(byThirty == ["c", "d"])
    }

    @Test("scheduling says when the new time is the earliest, so a sleeping timer must wake")
    func wakeSignal() {
        var heap = DelayHeap<String, Int>()
        let first = heap.schedule("a", at: 10)
        let later = heap.schedule("b", at: 20)
        let earlier = heap.schedule("b", at: 5)
        let moveLater = heap.schedule("a", at: 50)
        #expect(first)
        #expect(!later)
        #expect(earlier)
        #expect(!moveLater)
    }

    @Test("a thousand reschedules of one key keep one live entry")
    func manyReschedules() {
        var heap = DelayHeap<Int, Int>()
        for due in stride(from: 2000, to: 1000, by: -1) { heap.schedule(7, at: due) }
        #expect(heap.count == 1)
        let due = heap.popDue(3000)
        let earliest = heap.earliest()
        #expect(due == [7])
        #expect(earliest == nil)
    }
}
