import Foundation
import StageflowStore

/// Creates written straight to a `StorageBackend`, skipping `ResourceStore`: the backend's own write path, for
/// telling its cost apart from the store's (JSON, uids, watch wake-ups).
struct BackendWriteTarget: RawInsertTarget {
    let backend: any StorageBackend

    func prepare() async throws {}

    func insert(key: String, value: Data) async throws {
        let objectKey = ObjectKey(resource: "benchwrites", namespace: "default", name: key)
        _ = try await backend.write(Mutation(key: objectKey, expectedRevision: nil, value: value))
    }

    func close() async {}
}
