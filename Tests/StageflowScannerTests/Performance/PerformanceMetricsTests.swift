import Testing

@testable import StageflowScanner

@Suite("performance metrics")
struct PerformanceMetricsTests {
    typealias Shift = PerformanceSample.LayoutShift
    typealias Task = PerformanceSample.LongTask

    @Test("CLS is the largest session window: gaps of 1 s or more and windows over 5 s start a new one")
    func sessionWindows() {
        #expect(PerformanceMetrics.cumulativeLayoutShift([]) == 0)
        // One window of three shifts 500 ms apart.
        let one = [Shift(startTime: 100, value: 0.05), Shift(startTime: 600, value: 0.05), Shift(startTime: 1100, value: 0.1)]
        #expect(abs(PerformanceMetrics.cumulativeLayoutShift(one) - 0.2) < 1e-12)
        // A 1 s gap splits: max(0.1 + 0.05, 0.12).
        let split = [Shift(startTime: 0, value: 0.1), Shift(startTime: 900, value: 0.05), Shift(startTime: 1900, value: 0.12)]
        #expect(abs(PerformanceMetrics.cumulativeLayoutShift(split) - 0.15) < 1e-12)
        // Shifts every 900 ms for 9 s: windows are capped at 5 s, so 6 shifts (0…4500) then the rest.
        let steady = (0..<11).map { Shift(startTime: Double($0) * 900, value: 0.01) }
        #expect(abs(PerformanceMetrics.cumulativeLayoutShift(steady) - 0.06) < 1e-12)
        // Order of arrival does not matter.
        #expect(abs(PerformanceMetrics.cumulativeLayoutShift(split.reversed()) - 0.15) < 1e-12)
    }

    @Test("TBT counts the part of each long task beyond 50 ms that falls after FCP")
    func blockingTime() {
        let tasks = [
            Task(startTime: 100, duration: 200),  // ends at 300, before FCP: nothing
            Task(startTime: 900, duration: 300),  // blocking from 950 (after FCP 1000 → 1000) to 1200: 200
            Task(startTime: 1500, duration: 120),  // 70
            Task(startTime: 2000, duration: 50),  // exactly 50: nothing
        ]
        #expect(PerformanceMetrics.totalBlockingTime(tasks, firstContentfulPaint: 1000) == 270)
        #expect(PerformanceMetrics.totalBlockingTime(tasks, firstContentfulPaint: nil) == 150 + 250 + 70)
        #expect(PerformanceMetrics.totalBlockingTime([], firstContentfulPaint: 10) == 0)
    }

    @Test("the network log wins over resource timing for requests, bytes and TTFB")
    func networkPreferred() {
        let sample = PerformanceSample(
            fcp: 500, lcp: 900, longTasks: nil,
            navigation: .init(startTime: 0, responseStart: 120, transferSize: 10_000),
            resources: .init(count: 9, transferSize: 40_000))
        let timing = PerformanceMetrics(sample: sample, network: nil)
        #expect(timing.requestCount == 10 && timing.transferBytes == 50_000 && timing.ttfbMs == 120)
        #expect(timing.tbtMs == nil && timing.cls == 0)

        let network = PageNetworkSummary(requestCount: 14, transferBytes: 123_456, failedRequests: 1, timeToFirstByteMs: 95)
        let logged = PerformanceMetrics(sample: sample, network: network)
        #expect(logged.requestCount == 14 && logged.transferBytes == 123_456 && logged.ttfbMs == 95)
        // A network log without TTFB falls back to navigation timing.
        var noTTFB = network
        noTTFB.timeToFirstByteMs = nil
        #expect(PerformanceMetrics(sample: sample, network: noTTFB).ttfbMs == 120)
    }
}
