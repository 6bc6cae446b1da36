/// One kind of resource served by the API: its group, version, names and scope.
public struct ResourceKind: Sendable, Hashable, CustomStringConvertible {
    /// API group, `stageflow.dev`.
    public let group: String
    /// API version, `v1alpha1`.
    public let version: String
    /// `ScanJob`.
    public let kind: String
    /// `scanjobs`: the path segment and the name kubectl uses.
    public let plural: String
    /// `scanjob`.
    public let singular: String
    /// `sj`.
    public let shortNames: [String]
    /// Whether objects live in a namespace (`ScanJob`) or the cluster (`Scanner`).
    public let namespaced: Bool

    /// `stageflow.dev/v1alpha1`; `v1` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `ScanJobList`.
    public var listKind: String { kind + "List" }
    /// `scanjobs.stageflow.dev`, the CRD name.
    public var qualifiedName: String { "\(plural).\(group)" }

    public var description: String { plural }

    /// The group served by Stageflow.
    public static let group = "stageflow.dev"
    /// The version served by Stageflow.
    public static let version = "v1alpha1"

    /// A declared scan of URLs or an uploaded build.
    public static let scanJob = ResourceKind(
        group: group, version: version, kind: "ScanJob", plural: "scanjobs", singular: "scanjob",
        shortNames: ["sj"], namespaced: true)
    /// A recurring scan on a cron schedule.
    public static let scanSchedule = ResourceKind(
        group: group, version: version, kind: "ScanSchedule", plural: "scanschedules", singular: "scanschedule",
        shortNames: ["ss"], namespaced: true)
    /// A scanner plugin manifest.
    public static let scanner = ResourceKind(
        group: group, version: version, kind: "Scanner", plural: "scanners", singular: "scanner",
        shortNames: [], namespaced: false)

    /// A lease held by the active controller; standbys take over when it is not renewed.
    public static let lease = ResourceKind(
        group: group, version: version, kind: "Lease", plural: "leases", singular: "lease",
        shortNames: [], namespaced: true)

    /// What happened to an object, recorded by a controller (core `v1` Event, under `/api/v1`); it expires an
    /// hour after it was last seen. Not a custom resource: it has no CRD and is outside `all`.
    public static let event = ResourceKind(
        group: "", version: "v1", kind: "Event", plural: "events", singular: "event", shortNames: ["ev"], namespaced: true)

    /// Every kind of group `stageflow.dev` the API serves (each defined by a CRD in `crds/`).
    public static let all: [ResourceKind] = [scanJob, scanSchedule, scanner, lease]

    /// Finds a kind by its kind name, plural, singular or short name, ignoring case; a `.group` suffix
    /// (`scanjobs.stageflow.dev`) is accepted.
    public static func named(_ name: String) -> ResourceKind? {
        var lowered = name.lowercased()
        if lowered.hasSuffix("." + group) { lowered = String(lowered.dropLast(group.count + 1)) }
        return all.first { kind in
            kind.kind.lowercased() == lowered || kind.plural == lowered || kind.singular == lowered
                || kind.shortNames.contains(lowered)
        }
    }

    /// Finds a kind by `apiVersion` and `kind` as written in a manifest.
    public static func forManifest(apiVersion: String, kind: String) -> ResourceKind? {
        all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }
}
