/// The key a reconciler works on: only namespace and name, never the object itself (level-triggered).
public struct ObjectName: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// Namespace, or `nil` for cluster-scoped kinds.
    public var namespace: String?
    /// Name.
    public var name: String

    /// A key.
    public init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object, from its metadata.
    public init?(of object: JSONValue) {
        guard let name = object[path: ["metadata", "name"]]?.stringValue else { return nil }
        self.init(namespace: object[path: ["metadata", "namespace"]]?.stringValue, name: name)
    }

    /// `namespace/name`, or `name` for cluster-scoped objects.
    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    public static func < (lhs: ObjectName, rhs: ObjectName) -> Bool { lhs.description < rhs.description }
}

import StageflowAPI
