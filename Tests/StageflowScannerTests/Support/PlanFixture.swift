import Foundation
import StageflowAPI
import StageflowObjectStore

/// A scan plan stored in a filesystem object store in a temporary directory, as the controller writes one.
struct PlanFixture {
    let root: URL
    let store: FilesystemObjectStore
    let uid: String
    let planKey: String

    /// Stores a plan of `scanners` over `urls`.
    init(
        urls: [String], scanners: [PlannedScanner], crawl: CrawlOptions? = nil, uid: String = "job-\(UUID().uuidString.prefix(8).lowercased())"
    ) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-scanner-store-\(UUID().uuidString)")
        store = try FilesystemObjectStore(root: root)
        self.uid = uid
        planKey = try ObjectKeys.plan(jobUID: uid)
        let plan = ScanPlan(
            job: PlannedJob(uid: uid, namespace: "default", name: "test"), urls: urls, crawl: crawl,
            allowPrivateTargets: true, scanners: scanners, artifactsPrefix: try ObjectKeys.artifactsPrefix(jobUID: uid))
        try await store.put(planKey, data: try JSONEncoder().encode(plan), contentType: "application/json")
    }

    /// A planned built-in scanner.
    static func builtin(
        _ id: String, config: JSONValue? = nil, timeoutSeconds: Int64? = 300, maxConcurrency: Int64 = 4,
        severityMapping: [String: Severity]? = nil
    ) -> PlannedScanner {
        PlannedScanner(
            id: id, version: "1.0.0", entry: ScannerEntry(builtin: id), config: config, maxConcurrency: maxConcurrency,
            timeoutSeconds: timeoutSeconds, memoryMiB: nil, severityMapping: severityMapping)
    }

    /// The results a scanner wrote, decoded.
    func storedResults<Results: Decodable>(_ scanner: String, as type: Results.Type) async throws -> Results {
        try JSONDecoder().decode(type, from: try await store.get(try ObjectKeys.scannerResults(jobUID: uid, scanner: scanner)))
    }

    /// Keys of a scanner's evidence.
    func evidenceKeys(_ scanner: String) async throws -> [String] {
        try await store.list(prefix: try ObjectKeys.scannerPrefix(jobUID: uid, scanner: scanner) + "evidence/").map(\.key)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
