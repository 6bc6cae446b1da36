import Foundation
import Hummingbird
import StageflowAPI

extension ResourceHandler {
    /// Runs a write of ScanJobs so that admission can check target URLs: the body is read once (it is small,
    /// within `maxRequestBodyBytes`) and replayed to `body`; when admission meets URLs it has not checked yet, they
    /// are resolved and checked here, outside the store's compare-and-swap, and the write is admitted again.
    func checkingTargetURLs(
        _ request: Request, kind: ResourceKind, _ body: (Request) async throws -> Response
    ) async throws -> Response {
        guard kind == .scanJob, [.post, .put, .patch].contains(request.method) else { return try await body(request) }
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        let verdicts = TargetURLVerdicts()
        return try await TargetURLVerdicts.$current.withValue(verdicts) {
            var attempt = 0
            while true {
                attempt += 1
                let replay = Request(head: request.head, body: RequestBody(buffer: ByteBuffer(bytes: data)))
                do {
                    return try await body(replay)
                } catch let pending as PendingTargetURLChecks where attempt < 5 {
                    await configuration.targetURLs.check(pending.object, into: verdicts)
                }
            }
        }
    }
}
