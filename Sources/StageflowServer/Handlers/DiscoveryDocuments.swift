import StageflowAPI
import StageflowSchema

/// The discovery documents kubectl reads before anything else, built once from the CRDs: `/api`, `/api/v1`,
/// `/apis`, `/apis/stageflow.dev`, `/apis/stageflow.dev/v1alpha1` and `/version`.
///
/// Only the legacy (unaggregated) format is served; a client asking for `apidiscovery.k8s.io` v2 gets it with
/// `Content-Type: application/json`, which client-go takes as the cue to fall back.
struct DiscoveryDocuments: Sendable {
    let groupList: JSONValue
    let group: JSONValue
    let groupResources: JSONValue
    let coreResources: JSONValue
    let version: JSONValue

    init(schemas: SchemaRegistry, kubernetesVersion: (major: Int, minor: Int)) {
        let groupVersion: JSONValue = [
            "groupVersion": .string("\(ResourceKind.group)/\(ResourceKind.version)"),
            "version": .string(ResourceKind.version),
        ]
        let groupEntry: JSONValue = [
            "name": .string(ResourceKind.group), "versions": [groupVersion], "preferredVersion": groupVersion,
        ]
        groupList = ["kind": "APIGroupList", "apiVersion": "v1", "groups": [groupEntry]]
        var group = groupEntry
        group["kind"] = "APIGroup"
        group["apiVersion"] = "v1"
        self.group = group

        var resources: [JSONValue] = []
        for kind in ResourceKind.all {
            let names = schemas.crd(for: kind)[path: ["spec", "names"]]
            var resource: [String: JSONValue] = [
                "name": .string(kind.plural), "singularName": .string(kind.singular), "namespaced": .bool(kind.namespaced),
                "kind": .string(kind.kind),
                "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            ]
            if !kind.shortNames.isEmpty { resource["shortNames"] = .array(kind.shortNames.map(JSONValue.string)) }
            if let categories = names?["categories"]?.arrayValue, !categories.isEmpty {
                resource["categories"] = .array(categories)
            }
            resources.append(.object(resource))
            resources.append([
                "name": .string(kind.plural + "/status"), "singularName": "", "namespaced": .bool(kind.namespaced),
                "kind": .string(kind.kind), "verbs": ["get", "patch", "update"],
            ])
        }
        groupResources = [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string("\(ResourceKind.group)/\(ResourceKind.version)"), "resources": .array(resources),
        ]
        // The core group serves one resource: the Events controllers record and `kubectl describe` reads.
        coreResources = [
            "kind": "APIResourceList", "groupVersion": "v1",
            "resources": [
                [
                    "name": "events", "singularName": "event", "namespaced": true, "kind": "Event",
                    "verbs": ["create", "delete", "deletecollection", "get", "list", "update", "watch"], "shortNames": ["ev"],
                ]
            ],
        ]

        #if arch(arm64)
            let architecture = "arm64"
        #else
            let architecture = "amd64"
        #endif
        #if os(macOS)
            let system = "darwin"
        #else
            let system = "linux"
        #endif
        version = [
            "major": .string(String(kubernetesVersion.major)), "minor": .string(String(kubernetesVersion.minor)),
            "gitVersion": .string("v\(kubernetesVersion.major).\(kubernetesVersion.minor).0-stageflow"),
            "gitCommit": "unknown", "gitTreeState": "clean", "buildDate": "1970-01-01T00:00:00Z",
            "goVersion": "swift", "compiler": "swift", "platform": .string("\(system)/\(architecture)"),
        ]
    }

    /// `/api`: the legacy core group, with the address clients should use.
    func coreVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    /// `/`: every path served.
    static let rootPaths: JSONValue = [
        "paths": [
            "/api", "/api/v1", "/apis", .string("/apis/\(ResourceKind.group)"),
            .string("/apis/\(ResourceKind.group)/\(ResourceKind.version)"), "/healthz", "/livez", "/metrics", "/openapi/v2",
            "/openapi/v3", "/readyz", "/version",
        ]
    ]

    /// An empty `events.k8s.io` `EventList` (that group is not served; Events are core v1).
    static func emptyEvents(apiVersion: String, resourceVersion: String) -> JSONValue {
        [
            "kind": "EventList", "apiVersion": .string(apiVersion), "metadata": ["resourceVersion": .string(resourceVersion)],
            "items": [],
        ]
    }
}
