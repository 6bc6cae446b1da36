import Foundation
import Logging
import ServiceLifecycle
import StageflowAPI
import StageflowStore

/// Deletes Events an hour (the TTL) after they were last seen, as kube-apiserver's `--event-ttl` does: a
/// repeating event lives on, one that stopped goes. Runs beside the API server and ends with it.
struct EventExpiry: Service, CustomStringConvertible {
    let store: ResourceStore
    let ttl: Duration
    let interval: Duration
    let logger: Logger

    var description: String { "EventExpiry" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await expire(now: Date())
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }

    /// Deletes every event last seen more than `ttl` before `now`; returns how many.
    @discardableResult
    func expire(now: Date) async -> Int {
        var deleted = 0
        var options = ListOptions(limit: 500)
        do {
            repeat {
                let page = try await store.list(.event, namespace: nil, options: options)
                for event in page.items where Self.lastSeen(event).map({ now.timeIntervalSince($0) > ttl.seconds }) ?? false {
                    guard let name = event[path: ["metadata", "name"]]?.stringValue else { continue }
                    do {
                        _ = try await store.delete(
                            .event, namespace: event[path: ["metadata", "namespace"]]?.stringValue, name: name,
                            preconditions: DeletePreconditions(uid: event[path: ["metadata", "uid"]]?.stringValue))
                        deleted += 1
                    } catch let status as APIStatus where status.code == 404 || status.code == 409 {
                        continue
                    }
                }
                options.continueToken = page.continueToken
            } while options.continueToken != nil
        } catch {
            logger.warning("expiring events failed: \(error); trying again in \(interval)")
        }
        return deleted
    }

    /// When an event was last seen: `lastTimestamp`, else `eventTime`, else when it was created.
    static func lastSeen(_ event: JSONValue) -> Date? {
        for field in [["lastTimestamp"], ["eventTime"], ["metadata", "creationTimestamp"]] {
            if let text = event[path: field]?.stringValue, let date = Timestamp.date(text) { return date }
        }
        return nil
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
