import Foundation
import StageflowAPI

/// The objects and rows the benchmark writes: ScanJob-like JSON of a realistic size.
enum BenchmarkObjects {
    /// Annotation carrying the monotonic send time, so a watcher can tell how long delivery took.
    static let sentAnnotation = "bench.stageflow.dev/sent-ns"

    /// A ScanJob named `name` whose annotation records `sentNanoseconds`.
    static func scanJob(name: String, sentNanoseconds: Int64) -> JSONValue {
        [
            "apiVersion": "stageflow.dev/v1alpha1",
            "kind": "ScanJob",
            "metadata": [
                "name": .string(name),
                "namespace": "default",
                "labels": ["app.kubernetes.io/part-of": "stageflow-bench", "team": "web"],
                "annotations": .object([sentAnnotation: .string(String(sentNanoseconds))]),
            ],
            "spec": [
                "target": [
                    "urls": ["https://example.com/", "https://example.com/pricing", "https://example.com/docs/getting-started"],
                    "crawl": ["maxPages": 50, "maxDepth": 2],
                ],
                "scanners": [
                    ["name": "axe", "config": ["rules": ["wcag2a", "wcag2aa"]]],
                    ["name": "lighthouse", "config": ["formFactor": "mobile", "categories": ["performance", "seo"]]],
                ],
                "failOn": "serious",
                "deadlines": ["queuedSeconds": 600, "runningSeconds": 1800],
                "ttlSecondsAfterFinished": 86400,
            ],
        ]
    }

    /// The stored form of a ScanJob, for raw inserts of the same size.
    static func row(name: String) -> Data {
        scanJob(name: name, sentNanoseconds: monotonicNanoseconds()).jsonData()
    }

    /// `CLOCK_MONOTONIC` in nanoseconds: comparable across tasks of this process.
    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
