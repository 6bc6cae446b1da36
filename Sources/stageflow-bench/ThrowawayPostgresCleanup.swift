import Foundation

/// Stops throwaway servers still running when the benchmark exits, normally or on SIGINT/SIGTERM, so none
/// outlives it.
final class ThrowawayPostgresCleanup: @unchecked Sendable {
    static let shared = ThrowawayPostgresCleanup()

    private let lock = NSLock()
    private var servers: [ObjectIdentifier: ThrowawayPostgres] = [:]
    private var signalSources: [any DispatchSourceSignal] = []

    private init() {
        atexit { ThrowawayPostgresCleanup.shared.stopAll() }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                ThrowawayPostgresCleanup.shared.stopAll()
                exit(128 + signalNumber)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    func register(_ server: ThrowawayPostgres) {
        lock.withLock { servers[ObjectIdentifier(server)] = server }
    }

    func unregister(_ server: ThrowawayPostgres) {
        lock.withLock { _ = servers.removeValue(forKey: ObjectIdentifier(server)) }
    }

    func stopAll() {
        let running = lock.withLock { Array(servers.values) }
        for server in running { server.stop() }
    }
}
