import Foundation
import StageflowAPI
import StageflowStore

/// What a request path names: a discovery document, a health endpoint, a collection or one object.
enum RequestTarget: Sendable, Equatable {
    /// `/`: the list of served paths.
    case root
    /// `/healthz`, `/livez`, `/readyz`.
    case health(HealthCheck)
    /// `/metrics`, Prometheus text.
    case metrics
    /// `/version`.
    case version
    /// `/api`.
    case coreVersions
    /// `/api/v1`.
    case coreResources
    /// `/apis`.
    case groupList
    /// `/apis/stageflow.dev`.
    case group
    /// `/apis/stageflow.dev/v1alpha1`.
    case groupResources
    /// `events.k8s.io/v1` events (`/apis/events.k8s.io/v1/...`): always an empty list; the group is not in
    /// discovery, and Events are served as core `v1` (`collection(.event, …)`).
    case events(apiVersion: String)
    /// `/openapi/v2`.
    case openAPIV2
    /// `/openapi/v3`.
    case openAPIV3Root
    /// `/openapi/v3/apis/{group}/{version}` (or `/openapi/v3/api/v1`).
    case openAPIV3(groupVersion: String)
    /// A collection of one kind: in a namespace, across all namespaces (`nil`), or of a cluster-scoped kind.
    case collection(ResourceKind, namespace: String?)
    /// One object, or its status subresource.
    case object(ResourceKind, namespace: String?, name: String, subresource: Subresource)
    /// A ScanJob's stored report (`…/scanjobs/{name}/report`) or one of its artifacts
    /// (`…/scanjobs/{name}/artifacts/{path…}`).
    case jobArtifact(namespace: String, name: String, artifact: JobArtifact)
    /// The original job API (`/api/v1/jobs…`, `/api/v1/scanners`).
    case jobAPI(JobAPIRoute)
    /// Nothing is served here.
    case notFound

    /// What of a job's stored files a path names.
    enum JobArtifact: Sendable, Equatable {
        /// The unified `report.json`.
        case report
        /// A file under the job's artifacts folder, by its relative path (segments already percent-decoded).
        case file(String)
    }

    /// The three health endpoints.
    enum HealthCheck: String, Sendable {
        case healthz, livez, readyz
    }

    /// The resource named by the target, for metrics and logs (`scanjobs`, `scanjobs/status`, or the endpoint).
    var resourceLabel: String {
        switch self {
        case .collection(let kind, _): return kind.plural
        case .object(let kind, _, _, let subresource): return subresource == .status ? kind.plural + "/status" : kind.plural
        case .jobArtifact(_, _, .report): return "scanjobs/report"
        case .jobArtifact(_, _, .file): return "scanjobs/artifacts"
        case .events: return "events"
        case .health(let check): return check.rawValue
        case .metrics: return "metrics"
        case .version: return "version"
        case .openAPIV2, .openAPIV3Root, .openAPIV3: return "openapi"
        case .root, .coreVersions, .coreResources, .groupList, .group, .groupResources: return "discovery"
        case .jobAPI(let route): return route.label
        case .notFound: return "unknown"
        }
    }

    /// Parses a request path (without the query).
    init(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            String(segment).removingPercentEncoding ?? String(segment)
        }
        self = Self.parse(segments[...])
    }

    private static func parse(_ segments: ArraySlice<String>) -> RequestTarget {
        guard let first = segments.first else { return .root }
        let rest = segments.dropFirst()
        switch first {
        case "healthz", "livez", "readyz":
            // kube-apiserver also serves the individual checks below these paths (`/readyz/ping`).
            return .health(HealthCheck(rawValue: first)!)
        case "metrics": return rest.isEmpty ? .metrics : .notFound
        case "version": return rest.isEmpty ? .version : .notFound
        case "api": return parseCore(rest)
        case "apis": return parseGroups(rest)
        case "openapi": return parseOpenAPI(rest)
        default: return .notFound
        }
    }

    private static func parseCore(_ segments: ArraySlice<String>) -> RequestTarget {
        let parts = Array(segments)
        switch parts.count {
        case 0: return .coreVersions
        case 1 where parts[0] == "v1": return .coreResources
        default: break
        }
        guard parts.first == "v1" else { return .notFound }
        if let route = JobAPIRoute(parts.dropFirst()[...]) { return .jobAPI(route) }
        // Core v1 Events: `events`, `namespaces/{ns}/events`, `namespaces/{ns}/events/{name}`.
        if parts.count == 2, parts[1] == "events" { return .collection(.event, namespace: nil) }
        if parts.count >= 4, parts.count <= 5, parts[1] == "namespaces", parts[3] == "events" {
            return parts.count == 4
                ? .collection(.event, namespace: parts[2]) : .object(.event, namespace: parts[2], name: parts[4], subresource: .main)
        }
        return .notFound
    }

    private static func parseGroups(_ segments: ArraySlice<String>) -> RequestTarget {
        let parts = Array(segments)
        if parts.isEmpty { return .groupList }
        if parts[0] == "events.k8s.io", parts.count >= 2, parts[1] == "v1" {
            let rest = Array(parts.dropFirst(2))
            if rest == ["events"] || (rest.count == 3 && rest[0] == "namespaces" && rest[2] == "events") {
                return .events(apiVersion: "events.k8s.io/v1")
            }
            return .notFound
        }
        guard parts[0] == ResourceKind.group else { return .notFound }
        if parts.count == 1 { return .group }
        guard parts[1] == ResourceKind.version else { return .notFound }
        if parts.count == 2 { return .groupResources }
        return parseResource(Array(parts.dropFirst(2)))
    }

    /// `[namespaces/{ns}/]{plural}[/{name}[/status]]`.
    private static func parseResource(_ parts: [String]) -> RequestTarget {
        var parts = parts[...]
        var namespace: String?
        if parts.first == "namespaces", parts.count >= 3 {
            namespace = parts[parts.startIndex + 1]
            parts = parts.dropFirst(2)
        }
        guard let plural = parts.first, let kind = ResourceKind.all.first(where: { $0.plural == plural }) else {
            return .notFound
        }
        if namespace != nil && !kind.namespaced { return .notFound }
        let rest = Array(parts.dropFirst())
        switch rest.count {
        case 0:
            return .collection(kind, namespace: namespace)
        case 1:
            // A namespaced kind's objects are only addressed within a namespace.
            if kind.namespaced && namespace == nil { return .notFound }
            return .object(kind, namespace: namespace, name: rest[0], subresource: .main)
        case 2 where rest[1] == "status":
            if kind.namespaced && namespace == nil { return .notFound }
            return .object(kind, namespace: namespace, name: rest[0], subresource: .status)
        case 2 where rest[1] == "report" && kind == .scanJob:
            guard let namespace else { return .notFound }
            return .jobArtifact(namespace: namespace, name: rest[0], artifact: .report)
        case 3... where rest[1] == "artifacts" && kind == .scanJob:
            guard let namespace else { return .notFound }
            return .jobArtifact(namespace: namespace, name: rest[0], artifact: .file(rest.dropFirst(2).joined(separator: "/")))
        default:
            return .notFound
        }
    }

    private static func parseOpenAPI(_ segments: ArraySlice<String>) -> RequestTarget {
        let parts = Array(segments)
        if parts == ["v2"] { return .openAPIV2 }
        if parts == ["v3"] { return .openAPIV3Root }
        if parts.count >= 2, parts[0] == "v3" {
            return .openAPIV3(groupVersion: parts.dropFirst().joined(separator: "/"))
        }
        return .notFound
    }
}
