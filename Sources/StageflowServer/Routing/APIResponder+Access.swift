import Foundation
import Hummingbird
import StageflowAPI

extension APIResponder {
    /// Authenticates and authorises a request, then routes it; records the user for the audit line. (The
    /// job-creation limit is the write path's, so every route that creates jobs counts.)
    func guarded(_ request: Request, target: RequestTarget, web: WebTarget?, verb: inout String, user: inout String)
        async throws -> Response
    {
        let grant = try access.authenticate(request, target: target)
        switch grant {
        case .principal(let principal): user = principal.user
        case .signedLink: user = "signed-link"
        }
        try access.authorize(grant, request, target: target)
        return try await route(request, target: target, web: web, verb: &verb, grant: grant)
    }

    /// `Retry-After` for a status that says when to retry.
    static func retryAfter(_ status: APIStatus) -> HTTPFields {
        guard let seconds = status.details?.retryAfterSeconds else { return [:] }
        return [.retryAfter: String(seconds)]
    }
}

extension RequestTarget {
    /// The namespace and name a request names on its path, for the audit line.
    var auditScope: (namespace: String?, name: String?) {
        switch self {
        case .collection(_, let namespace): return (namespace, nil)
        case .object(_, let namespace, let name, _): return (namespace, name)
        case .jobArtifact(let namespace, let name, _): return (namespace, name)
        default: return (nil, nil)
        }
    }
}
