import Foundation
import StageflowAPI
import StageflowObjectStore
import StageflowReport

extension ScanJobReconciler {
    /// What reading an object a scanner (or an earlier job) wrote found.
    enum StoredRead<Value> {
        /// Not there (yet): wait for it, or count it missing.
        case missing
        /// There, but not what it should be: a failure no retry mends.
        case undecodable(String)
        /// Read and decoded.
        case value(Value)
    }

    /// Reads and decodes `key`. An object that is not there is `.missing`; a store that cannot answer throws
    /// (the pass is retried with backoff), so a passing outage never turns into a failed scanner.
    func readStored<Value: Decodable>(_ key: String, as type: Value.Type) async throws -> StoredRead<Value> {
        let data: Data
        do {
            data = try await objects.get(key)
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return .missing
        }
        do {
            return .value(try JSONDecoder().decode(Value.self, from: data))
        } catch {
            return .undecodable("\(key) does not decode: \(error)")
        }
    }

    /// The results a scanner wrote to `artifacts/<uid>/<scanner>/results.json`.
    func readResults(scanner: String, uid: String) async throws -> StoredRead<ScannerResults> {
        try await readStored(try ObjectKeys.artifactsPrefix(jobUID: uid) + "\(scanner)/results.json", as: ScannerResults.self)
    }
}
