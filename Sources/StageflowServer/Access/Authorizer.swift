import Foundation
import StageflowAPI
import StageflowStore

/// Decides whether a principal may do one thing: the role-based rules of the token file.
///
/// - viewer: get, list and watch in its namespaces;
/// - editor: also create, update, patch and delete ScanJobs and ScanSchedules in its namespaces;
/// - admin: every verb on the main resource of every kind in its namespaces; an admin of every namespace also
///   writes the cluster-scoped Scanners (which select code that runs in every namespace's scans);
/// - controller: also the status subresources and Leases, which only the controllers write.
///
/// Every holder of a valid token may read the cluster-scoped Scanners (the catalog jobs choose from) and the
/// discovery, OpenAPI and metrics documents.
enum Authorizer {
    /// What a request does, for the decision and the `Forbidden` message.
    struct Action: Sendable, Equatable {
        /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`.
        var verb: String
        /// The resource (plural) and its kind, or `nil` for documents that are not resources.
        var kind: ResourceKind?
        /// The namespace, `nil` for cluster-scoped kinds and all-namespace lists.
        var namespace: String?
        /// The subresource written (`status`), `.main` otherwise.
        var subresource: Subresource = .main

        var isRead: Bool { ["get", "list", "watch"].contains(verb) }
    }

    /// `nil` when allowed, otherwise the 403 `Status` naming the user, verb, resource and namespace.
    static func check(_ principal: Principal, _ action: Action) -> APIStatus? {
        allows(principal, action) ? nil : forbidden(principal, action)
    }

    static func allows(_ principal: Principal, _ action: Action) -> Bool {
        guard let kind = action.kind else { return true }
        if !kind.namespaced {
            // The scanner catalog is readable by everyone signed in; writing it changes every namespace.
            return action.isRead || (principal.role >= .admin && principal.namespaces.contains("*"))
        }
        guard principal.covers(namespace: action.namespace) else { return false }
        if action.isRead { return true }
        // Status is what the controllers observed, and the Lease decides which controller acts.
        if action.subresource == .status || kind == .lease { return principal.isController }
        switch principal.role {
        case .viewer: return false
        case .editor: return kind == .scanJob || kind == .scanSchedule
        case .admin, .controller: return true
        }
    }

    static func forbidden(_ principal: Principal, _ action: Action) -> APIStatus {
        let resource = (action.kind?.plural ?? "this endpoint") + (action.subresource == .status ? "/status" : "")
        var message =
            "\(resource).\(ResourceKind.group) is forbidden: User \"\(principal.user)\" (role \(principal.role.rawValue)) "
            + "cannot \(action.verb) resource \"\(resource)\" in API group \"\(ResourceKind.group)\""
        if let namespace = action.namespace {
            message += " in the namespace \"\(namespace)\""
        } else if action.kind?.namespaced == true {
            message += " at the cluster scope"
        }
        return APIStatus(
            code: 403, reason: "Forbidden", message: message,
            details: APIStatus.Details(group: ResourceKind.group, kind: action.kind?.plural))
    }

    /// 401 for a request without an acceptable token.
    static func unauthorized(_ why: String) -> APIStatus {
        APIStatus(code: 401, reason: "Unauthorized", message: "Unauthorized: \(why)")
    }
}
