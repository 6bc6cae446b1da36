import StageflowAPI

/// An object of any kind by kind, namespace and name: the key of controllers that work across kinds (the garbage
/// collector).
public struct ObjectRef: Hashable, Sendable, CustomStringConvertible {
    /// The object's kind.
    public var kind: ResourceKind
    /// Its namespace and name.
    public var name: ObjectName

    /// A reference.
    public init(kind: ResourceKind, name: ObjectName) {
        self.kind = kind
        self.name = name
    }

    /// The reference of an object of `kind`.
    public init?(kind: ResourceKind, object: JSONValue) {
        guard let name = ObjectName(of: object) else { return nil }
        self.init(kind: kind, name: name)
    }

    /// `scanjobs/default/nightly`.
    public var description: String { "\(kind.plural)/\(name)" }
}
