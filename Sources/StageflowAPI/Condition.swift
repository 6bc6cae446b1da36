/// One observation about an object, keyed by `type`, as in the Kubernetes API conventions.
public struct Condition: Codable, Sendable, Hashable {
    /// What is observed: `Accepted`, `Complete`, `Failed`, …
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: ConditionStatus
    /// One CamelCase word saying why.
    public var reason: String?
    /// A sentence for people.
    public var message: String?
    /// RFC 3339 time the status last changed.
    public var lastTransitionTime: String?
    /// The `metadata.generation` this condition was computed for.
    public var observedGeneration: Int64?

    /// A condition.
    public init(
        type: String, status: ConditionStatus, reason: String? = nil, message: String? = nil,
        lastTransitionTime: String? = nil, observedGeneration: Int64? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }
}

/// The three-valued status of a condition.
public enum ConditionStatus: String, Codable, Sendable, Hashable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}

extension Array where Element == Condition {
    /// The condition of a type, if present.
    public subscript(type type: String) -> Condition? {
        first { $0.type == type }
    }

    /// Sets a condition, keeping `lastTransitionTime` when the status does not change.
    public mutating func set(_ condition: Condition, now: String) {
        var updated = condition
        if let index = firstIndex(where: { $0.type == condition.type }) {
            let previous = self[index]
            updated.lastTransitionTime =
                previous.status == condition.status ? previous.lastTransitionTime ?? now : now
            self[index] = updated
        } else {
            updated.lastTransitionTime = now
            append(updated)
        }
    }
}
