/// Options of a DELETE (the `DeleteOptions` body and query of the Kubernetes API).
public struct DeleteOptions: Sendable, Hashable {
    /// What happens to the objects that name the deleted one in `metadata.ownerReferences`.
    public enum PropagationPolicy: String, Sendable, Hashable, CaseIterable {
        /// The object goes at once; the garbage collector deletes its dependents afterwards (the default).
        case background = "Background"
        /// The object stays, with the `foregroundDeletion` finalizer, until its blocking dependents are gone.
        case foreground = "Foreground"
        /// The object stays, with the `orphan` finalizer, until its dependents no longer name it; they are kept.
        case orphan = "Orphan"
    }

    /// Check the delete without performing it (`dryRun=All`).
    public var dryRun: Bool
    /// Handling of dependents; `nil` leaves it to the server (Background).
    public var propagationPolicy: PropagationPolicy?
    /// Conditions the stored object must still meet.
    public var preconditions: DeletePreconditions

    /// Options; all default to unset.
    public init(dryRun: Bool = false, propagationPolicy: PropagationPolicy? = nil, preconditions: DeletePreconditions = .init()) {
        self.dryRun = dryRun
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
    }

    /// The finalizer that holds an object in foreground deletion until its blocking dependents are gone.
    public static let foregroundFinalizer = "foregroundDeletion"
    /// The finalizer that holds an object until the garbage collector has orphaned its dependents.
    public static let orphanFinalizer = "orphan"
}

/// Preconditions of a delete.
public struct DeletePreconditions: Sendable, Hashable {
    /// The object must still have this `resourceVersion`.
    public var resourceVersion: Int64?
    /// The object must still have this uid.
    public var uid: String?

    /// Preconditions.
    public init(resourceVersion: Int64? = nil, uid: String? = nil) {
        self.resourceVersion = resourceVersion
        self.uid = uid
    }
}
