/// What a token may do, in increasing power: read; also write ScanJobs and ScanSchedules; also everything else in
/// its namespaces (and, granted every namespace, the cluster-scoped Scanners); and what only the controllers do
/// (status subresources, Leases, the installed scanners).
public enum AccessRole: String, Sendable, Hashable, CaseIterable, Comparable {
    /// get, list and watch in the granted namespaces.
    case viewer
    /// A viewer that may also create, update, patch and delete ScanJobs and ScanSchedules in its namespaces.
    case editor
    /// Every verb on the main resource of every kind in its namespaces; with every namespace (`*`), also the
    /// cluster-scoped Scanners (never the installed ones, never with a command line).
    case admin
    /// The controllers' identity: everything, including the status subresources, Leases and the Scanners
    /// installed with the controller. Granted only with every namespace.
    case controller

    private var rank: Int {
        switch self {
        case .viewer: return 0
        case .editor: return 1
        case .admin: return 2
        case .controller: return 3
        }
    }

    /// Orders roles by power.
    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool { lhs.rank < rhs.rank }
}

/// Who a request acts for: the user a bearer token names, with its grant, or an anonymous reader.
public struct Principal: Sendable, Hashable {
    /// The user name, `anonymous` without a token.
    public var user: String
    /// The role in `namespaces`.
    public var role: AccessRole
    /// The namespaces granted; `["*"]` is every namespace.
    public var namespaces: Set<String>

    /// A principal.
    public init(user: String, role: AccessRole, namespaces: Set<String>) {
        self.user = user
        self.role = role
        self.namespaces = namespaces
    }

    /// Every namespace and verb, as when authentication is off (`--insecure-no-auth`).
    public static let unrestricted = Principal(user: "anonymous", role: .controller, namespaces: ["*"])
    /// The controllers running inside the server's process (`stageflow up`).
    public static let inProcessController = Principal(user: "system:controller", role: .controller, namespaces: ["*"])
    /// Reads of every namespace and nothing else, for `--anonymous-read`.
    public static let anonymousReader = Principal(user: "anonymous", role: .viewer, namespaces: ["*"])

    /// Whether the principal acts as a controller (status writes, Leases, installed scanners).
    public var isController: Bool { role == .controller && namespaces.contains("*") }

    /// Whether the grant covers `namespace`; `nil` (every namespace, or a cluster-scoped kind) needs `*`.
    public func covers(namespace: String?) -> Bool {
        if namespaces.contains("*") { return true }
        guard let namespace else { return false }
        return namespaces.contains(namespace)
    }
}
