/// Query parameters of a delete.
public struct DeleteOptions: Sendable, Hashable {
    /// What happens to objects owned by the deleted one.
    public enum PropagationPolicy: String, Sendable, Hashable {
        /// Delete owned objects in the background.
        case background = "Background"
        /// Delete owned objects first.
        case foreground = "Foreground"
        /// Leave owned objects.
        case orphan = "Orphan"
    }

    /// Check the delete without performing it (`dryRun=All`).
    public var dryRun: Bool
    /// Handling of owned objects; `nil` leaves it to the server.
    public var propagationPolicy: PropagationPolicy?

    /// Options; all default to unset.
    public init(dryRun: Bool = false, propagationPolicy: PropagationPolicy? = nil) {
        self.dryRun = dryRun
        self.propagationPolicy = propagationPolicy
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let propagationPolicy { items.append(("propagationPolicy", propagationPolicy.rawValue)) }
        return items
    }
}
