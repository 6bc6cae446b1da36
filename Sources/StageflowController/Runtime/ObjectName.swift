import StageflowAPI

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


extension ObjectName {
    /// The key of the object's controller owner of `kind` (its owner reference with `controller: true`), in the
    /// object's namespace unless that kind is cluster-scoped.
    public static func controllerOwner(of object: JSONValue, kind: ResourceKind) -> ObjectName? {
        for reference in object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [] {
            guard reference["controller"]?.boolValue == true, reference["kind"]?.stringValue == kind.kind,
                reference["apiVersion"]?.stringValue == kind.apiVersion, let name = reference["name"]?.stringValue
            else { continue }
            let namespace = kind.namespaced ? object[path: ["metadata", "namespace"]]?.stringValue : nil
            return ObjectName(namespace: namespace, name: name)
        }
        return nil
    }
}
