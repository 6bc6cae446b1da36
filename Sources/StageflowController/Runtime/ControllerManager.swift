import Foundation
import Logging
import StageflowAPI

/// Runs a process's controllers for as long as it leads. Each leadership term is built fresh — new informers, new
/// controllers, new queues — and everything of a term runs in one task group that ends with the term, so a process
/// that loses its lease stops acting at once and one that wins it back reconciles again from a full LIST.
///
/// Controllers stay in-process across terms (rather than the process exiting on loss, as controller-runtime does)
/// because `stageflow up` serves the API from the same process: exiting would take the API down with the
/// controllers.
public struct ControllerManager: Sendable {
    /// Builds one term's controllers (and whatever runs beside them) on that term's informers.
    public typealias Build = @Sendable (InformerSet) -> [any Runnable]

    private let client: any ResourceClient
    private let resyncInterval: Duration?
    private let logger: Logger
    private let build: Build

    /// A manager whose terms run what `build` makes.
    public init(client: any ResourceClient, resyncInterval: Duration? = .seconds(300), logger: Logger, build: @escaping Build) {
        self.client = client
        self.resyncInterval = resyncInterval
        self.logger = logger
        self.build = build
    }

    /// Campaigns with `elector` and runs a fresh term each time it leads, until the task is cancelled; on the way
    /// out the elector releases the lease.
    public func run(electedBy elector: LeaderElector) async {
        await elector.run { await runTerm() }
    }

    /// One term: fresh informers and controllers, run until the task is cancelled (or every runnable has ended).
    public func runTerm() async {
        let informers = InformerSet(client: client, resyncInterval: resyncInterval, logger: logger)
        await Self.run(build(informers), on: informers, logger: logger)
    }

    /// Runs `runnables` and `informers` together until the task is cancelled or the runnables have all ended.
    public static func run(_ runnables: [any Runnable], on informers: InformerSet, logger: Logger) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await informers.run() }
            await withTaskGroup(of: Void.self) { controllers in
                for runnable in runnables {
                    controllers.addTask {
                        do {
                            try await runnable.run()
                        } catch {
                            logger.error("\(runnable.name): \(error)")
                        }
                    }
                }
            }
            group.cancelAll()
        }
    }
}
