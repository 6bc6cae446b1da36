import Foundation
import StageflowAPI
import StageflowStore

extension ResourceHandler {
    /// Creates a ScanJob built by an adapter (the job API) with exactly the admission of `POST …/scanjobs`:
    /// defaults, schema, scanner selection and the target URL policy. `metadata.generateName` names it; `uid`
    /// fixes its uid (for an upload staged under it before the job exists). With `dryRun`, only admits.
    func createScanJob(_ object: JSONValue, uid: String? = nil, dryRun: Bool = false) async throws -> JSONValue {
        try await scannerCatalog.refresh(from: store)
        let verdicts = TargetURLVerdicts()
        await configuration.targetURLs.check(object, into: verdicts)
        return try await TargetURLVerdicts.$current.withValue(verdicts) {
            let admission = admission(.scanJob)
            try admission.checkTypeMeta(object)
            let bound = try admission.bind(object, name: nil, namespace: object[path: ["metadata", "namespace"]]?.stringValue)
            let generateName = bound[path: ["metadata", "generateName"]]?.stringValue ?? "job-"
            var attempt = 0
            while true {
                attempt += 1
                var candidate = bound
                candidate[path: "metadata", "name"] = .string(GeneratedName.make(prefix: generateName))
                var admitted = try admission.admit(candidate, fieldValidation: .strict)
                let entries = FieldManager(kind: .scanJob).recordingUpdate(
                    old: nil, new: admitted.object, entries: [], manager: "stageflow-job-api", subresource: .main,
                    now: Timestamp.now())
                admitted.object[path: "metadata", "managedFields"] = entries.isEmpty ? nil : .array(entries.map(\.json))
                do {
                    return try await store.create(.scanJob, admitted.object, dryRun: dryRun, uid: uid)
                } catch let status as APIStatus where status.reason == "AlreadyExists" && attempt < 8 {
                    continue
                }
            }
        }
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
