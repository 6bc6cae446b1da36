import Foundation
import Logging
import ServiceLifecycle
import StageflowController
import StageflowObjectStore
import StageflowVision
import StageflowVisionController

/// The vision controller as a service of a process (`stageflow up` or `stageflow vision`): campaigns for its lease
/// and walks journeys while leading, until graceful shutdown.
struct VisionService: Service {
    let controller: VisionController
    let elector: LeaderElector

    /// The service for `options` (whose endpoint must be configured), over `client` and `objects`.
    static func make(
        options: VisionOptions, client: any ResourceClient, objects: any ObjectStore, leaseSeconds: Int, logger: Logger
    ) throws -> VisionService? {
        guard let endpoint = try options.endpoint() else { return nil }
        let configuration = VisionControllerConfiguration(
            endpoint: endpoint, maxJourneys: options.maxJourneys, maxModelRequests: options.maxRequests,
            secretsDirectory: options.secretsDir.map { URL(fileURLWithPath: $0, isDirectory: true) },
            identity: LeaderElector.defaultIdentity())
        let controller = VisionController(client: client, objects: objects, configuration: configuration, logger: logger)
        let lease = Double(leaseSeconds)
        let timing = LeaderElector.Timing(
            leaseDuration: .seconds(lease), renewDeadline: .milliseconds(Int(lease * 800)), retryPeriod: .milliseconds(Int(lease * 200)))
        return VisionService(controller: controller, elector: controller.elector(timing: timing))
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await controller.run(electedBy: elector)
        }
    }
}
