import Foundation
import StageflowAPI

/// The informer's local copy of every object of a kind, keyed by namespace/name. Values are immutable
/// snapshots: change a copy, never the cache.
public final class ObjectCache: @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [ObjectName: JSONValue] = [:]

    /// An empty cache.
    public init() {}

    /// The cached object, if any.
    public func get(_ name: ObjectName) -> JSONValue? {
        lock.withLock { objects[name] }
    }

    /// Every cached object.
    public func list() -> [JSONValue] {
        lock.withLock { Array(objects.values) }
    }

    /// Every cached key.
    public func keys() -> [ObjectName] {
        lock.withLock { Array(objects.keys) }
    }

    /// Number of cached objects.
    public var count: Int { lock.withLock { objects.count } }

    func replace(_ items: [JSONValue]) -> (removed: [JSONValue], current: [JSONValue]) {
        var fresh: [ObjectName: JSONValue] = [:]
        for item in items {
            if let name = ObjectName(of: item) { fresh[name] = item }
        }
        return lock.withLock {
            let removed = objects.filter { fresh[$0.key] == nil }.map(\.value)
            objects = fresh
            return (removed, items)
        }
    }

    /// Applies a watch event; returns false for one older than what is cached.
    @discardableResult
    func apply(_ event: StoreEventLike) -> Bool {
        guard let name = ObjectName(of: event.object) else { return false }
        return lock.withLock {
            if event.isDeletion {
                objects.removeValue(forKey: name)
            } else if let existing = objects[name], revision(existing) > revision(event.object) {
                return false
            } else {
                objects[name] = event.object
            }
            return true
        }
    }

    private func revision(_ object: JSONValue) -> Int64 {
        Int64(object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
    }
}

/// The part of a watch event the cache needs.
struct StoreEventLike {
    var object: JSONValue
    var isDeletion: Bool
}
