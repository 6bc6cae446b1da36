import Foundation
import StageflowAPI
import StageflowStore

extension ResourceHandler {
    /// Creates a ScanJob built by an adapter (the job API, the workbench) through the one write path, as
    /// `POST …/scanjobs` would: defaults, schema, scanner selection, the writer's rules, the target URL policy and
    /// the creation rate limit. `metadata.generateName` names it; `uid` fixes its uid (for an upload staged under
    /// it before the job exists). With `dryRun`, only admits. `countsCreation: false` is for a creation the
    /// caller already counted against the rate limit.
    func createScanJob(
        _ object: JSONValue, principal: Principal, fieldManager: String, uid: String? = nil, dryRun: Bool = false,
        countsCreation: Bool = true
    ) async throws -> JSONValue {
        var write = WriteRequest(
            kind: .scanJob, namespace: object[path: ["metadata", "namespace"]]?.stringValue, principal: principal,
            fieldManager: fieldManager, dryRun: dryRun)
        write.countsCreation = countsCreation
        return try await chain.create(object, write, uid: uid).object
    }

    /// Creates a ScanSchedule built by the workbench through the one write path, as `POST …/scanschedules` would:
    /// defaults, schema (the cron expression and time zone included) and the writer's rules.
    func createScanSchedule(_ object: JSONValue, principal: Principal, fieldManager: String) async throws -> JSONValue {
        let write = WriteRequest(
            kind: .scanSchedule, namespace: object[path: ["metadata", "namespace"]]?.stringValue, principal: principal,
            fieldManager: fieldManager)
        return try await chain.create(object, write).object
    }

    /// The ScanJob whose `metadata.uid` is `uid`, in any namespace; 404 when there is none.
    func scanJob(uid: String) async throws -> JSONValue {
        let page = try await store.list(.scanJob, namespace: nil, options: ListOptions())
        guard let job = page.items.first(where: { $0[path: ["metadata", "uid"]]?.stringValue == uid }) else {
            throw APIStatus(
                code: 404, reason: "NotFound", message: "job \"\(uid)\" not found",
                details: APIStatus.Details(name: uid, group: ResourceKind.scanJob.group, kind: "jobs"))
        }
        return job
    }
}
