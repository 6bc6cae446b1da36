/// A core `v1` Event: something a controller saw happen to an object, for people (`kubectl describe` and
/// `stageflowctl describe` list an object's events). A repeating event is one object whose `count` and
/// `lastTimestamp` grow, not one object per occurrence.
public struct Event: Codable, Sendable, Hashable {
    /// Always `v1`.
    public var apiVersion: String = "v1"
    /// Always `Event`.
    public var kind: String = "Event"
    /// Name (`<object>.<hex time>`) and the namespace of the object concerned.
    public var metadata: ObjectMeta
    /// The object the event is about.
    public var involvedObject: ObjectReference
    /// One CamelCase word for machines (`Completed`, `ReconcileFailed`).
    public var reason: String?
    /// A sentence for people.
    public var message: String?
    /// Who reported it.
    public var source: EventSource?
    /// RFC 3339 time of the first occurrence.
    public var firstTimestamp: String?
    /// RFC 3339 time of the latest occurrence.
    public var lastTimestamp: String?
    /// How many times it happened.
    public var count: Int64?
    /// `Normal` or `Warning`.
    public var type: String?
    /// The controller that reported it (`stageflow.dev/scanjob-controller`).
    public var reportingComponent: String?
    /// The reporting controller's instance (its lease identity).
    public var reportingInstance: String?

    /// An event.
    public init(
        metadata: ObjectMeta, involvedObject: ObjectReference, reason: String?, message: String?, type: String?,
        source: EventSource? = nil, firstTimestamp: String? = nil, lastTimestamp: String? = nil, count: Int64? = nil,
        reportingComponent: String? = nil, reportingInstance: String? = nil
    ) {
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
    }

    /// The two types of event.
    public static let normal = "Normal"
    /// Something went wrong or needs attention.
    public static let warning = "Warning"
}

extension ObjectReference {
    /// The reference to an object of `kind` (an Event's `involvedObject`), from its metadata; `nil` without a name.
    public init?(of object: JSONValue, kind: ResourceKind) {
        guard let name = object[path: ["metadata", "name"]]?.stringValue else { return nil }
        self.init(
            apiVersion: kind.apiVersion, kind: kind.kind, namespace: object[path: ["metadata", "namespace"]]?.stringValue,
            name: name, uid: object[path: ["metadata", "uid"]]?.stringValue)
    }
}

/// The component (and host) that reported an event.
public struct EventSource: Codable, Sendable, Hashable {
    /// `stageflow-controller`.
    public var component: String?
    /// The host it runs on.
    public var host: String?

    /// A source.
    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }
}
