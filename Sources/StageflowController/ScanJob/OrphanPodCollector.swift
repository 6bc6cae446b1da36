import Logging
import StageflowAPI
import StageflowRuntime

/// Deletes the pods of ScanJobs that no longer exist: once the job cache has synced, and then every `interval`.
/// A job's own finalizer removes its pod on deletion; this catches pods whose job went while no controller was
/// there to finalize it (its finalizer removed by hand, its row gone from the database).
struct OrphanPodCollector: Runnable {
    let name = "scanjob-pod-collector"
    let runtime: any PodRuntime
    let jobs: Informer
    let interval: Duration
    /// Only pods labelled with this installation are this collector's (see `ScanJobReconcilerConfiguration`).
    let installation: String?
    let logger: Logger

    func run() async throws {
        await jobs.waitForSync()
        while !Task.isCancelled {
            await collect()
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }

    /// One pass. A pod of this installation is created only by the reconciler for a job it read from this cache,
    /// so such a pod whose uid no cached job has belongs to a job that is gone.
    func collect() async {
        do {
            let podUIDs = try await runtime.podJobUIDs(installation: installation)
            guard !podUIDs.isEmpty else { return }
            let jobUIDs = Set(jobs.cache.list().compactMap { $0[path: ["metadata", "uid"]]?.stringValue })
            for uid in podUIDs where !jobUIDs.contains(uid) {
                try await runtime.deletePod(jobUID: uid)
                logger.info("deleted the pod of ScanJob \(uid), which no longer exists")
            }
        } catch {
            logger.warning("collecting orphaned pods failed: \(error); trying again in \(interval)")
        }
    }
}
