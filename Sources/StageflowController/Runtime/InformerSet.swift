import Foundation
import Logging
import StageflowAPI

/// The informers of one leadership term, one per kind, shared by every controller of the process: asking twice
/// for a kind gives the same informer, so each kind is listed and watched once. `run()` runs every informer asked
/// for, also those asked for after it started, and they all end with it.
public final class InformerSet: @unchecked Sendable {
    private let client: any ResourceClient
    private let resyncInterval: Duration?
    private let logger: Logger
    private let lock = NSLock()
    private var informers: [String: Informer] = [:]
    private var waiting: [Informer] = []
    private let added = AsyncSignal()

    /// Informers over `client`, resyncing every `resyncInterval` (`nil`: never).
    public init(client: any ResourceClient, resyncInterval: Duration? = .seconds(300), logger: Logger) {
        self.client = client
        self.resyncInterval = resyncInterval
        self.logger = logger
    }

    /// The informer of `kind` (across namespaces).
    public func informer(for kind: ResourceKind) -> Informer {
        let created: Informer? = lock.withLock {
            if informers[kind.plural] != nil { return nil }
            let informer = Informer(client: client, kind: kind, resyncInterval: resyncInterval, logger: logger)
            informers[kind.plural] = informer
            waiting.append(informer)
            return informer
        }
        if created != nil { added.signal() }
        return lock.withLock { informers[kind.plural]! }
    }

    /// Runs the informers until the task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            while !Task.isCancelled {
                let start: [Informer] = lock.withLock {
                    defer { waiting = [] }
                    return waiting
                }
                for informer in start {
                    group.addTask { await informer.run() }
                }
                await added.wait()
            }
            group.cancelAll()
        }
    }
}
