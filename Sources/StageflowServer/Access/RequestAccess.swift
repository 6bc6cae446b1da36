import Foundation
import Hummingbird
import Logging
import StageflowAPI

/// Authentication, authorisation, the job-creation rate limit and the audit log, as the responder applies
/// them to every request.
///
/// - `/healthz`, `/livez` and `/readyz` are open (probes carry no tokens); every other path needs a token when
///   tokens are configured, `/metrics` and the discovery documents included (any valid token will do). A client
///   certificate verified against `--client-ca-file` stands in for a token when the request carries none.
/// - A GET of a report or artifact with a valid `expires` + `signature` pair needs no token: the signature is
///   the authorisation for that one path, until it expires. A bad or expired signature is a 403.
struct RequestAccess: Sendable {
    /// What a request is allowed to do, once authenticated.
    enum Grant: Sendable {
        /// Acting for a principal, whose role and namespaces decide.
        case principal(Principal)
        /// A signed link: this one path may be read.
        case signedLink
    }

    let configuration: AccessConfiguration
    let signer: LinkSigner
    let limiter: JobRateLimiter
    let sessions: BrowserSessions

    init(configuration: AccessConfiguration) {
        self.configuration = configuration
        signer = LinkSigner(secret: configuration.linkSecret, lifetime: configuration.linkLifetime)
        limiter = JobRateLimiter(limit: configuration.jobCreationsPerMinute)
        sessions = BrowserSessions(secret: configuration.linkSecret)
    }

    /// Whether tokens are required at all.
    var isEnabled: Bool { configuration.tokens != nil }

    /// Who the request acts for; 401 without an acceptable token, 403 for a bad signature.
    func authenticate(_ request: Request, target: RequestTarget) throws -> Grant {
        if case .health = target { return .principal(.unrestricted) }
        if Self.isSignable(target), request.method == .get || request.method == .head {
            let query = QueryParameters(request.uri.query)
            switch signer.verify(path: request.uri.path, expires: query["expires"], signature: query["signature"]) {
            case .valid: return .signedLink
            case .invalid(let why): throw APIStatus(code: 403, reason: "Forbidden", message: "Forbidden: \(why)")
            case .unsigned: break
            }
        }
        guard let tokens = configuration.tokens else { return .principal(.unrestricted) }
        guard let header = request.headers[.authorization] else {
            if let certificate = ClientCertificate.verified { return .principal(try certificatePrincipal(certificate, tokens: tokens)) }
            if let principal = sessionPrincipal(request, tokens: tokens) { return .principal(principal) }
            if configuration.anonymousRead { return .principal(.anonymousReader) }
            throw Authorizer.unauthorized(
                "this server requires a bearer token (Authorization: Bearer <token>) or, in a browser, signing in at /login")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Authorizer.unauthorized("the Authorization header is not a bearer token")
        }
        guard let principal = tokens.principal(for: parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw Authorizer.unauthorized("the bearer token is not known to this server")
        }
        return .principal(principal)
    }

    /// The principal a verified client certificate stands for: the token file's `clientCertificates` entry for its
    /// subject's common name; 401 when there is none.
    func certificatePrincipal(_ certificate: VerifiedClientCertificate, tokens: AccessTokens) throws -> Principal {
        guard let principal = tokens.principal(forCertificateUser: certificate.commonName) else {
            throw Authorizer.unauthorized(
                "the client certificate's user \"\(certificate.commonName)\" has no role here (clientCertificates in the token file)")
        }
        return principal
    }

    /// The principal of a valid browser session cookie, if the request carries one.
    func sessionPrincipal(_ request: Request, tokens: AccessTokens) -> Principal? {
        guard let digest = sessionDigest(request), let token = tokens.token(forDigest: digest) else { return nil }
        return tokens.principal(for: token)
    }

    /// The token digest of the request's valid session cookie, if any.
    func sessionDigest(_ request: Request) -> String? {
        BrowserSessions.cookie(in: request.headers[.cookie]).flatMap { sessions.tokenDigest(fromCookie: $0) }
    }

    /// 403 unless the grant allows the request on a Kubernetes-style route or document. Job API routes are
    /// checked by their handler once the job (and so its namespace) is known.
    func authorize(_ grant: Grant, _ request: Request, target: RequestTarget) throws {
        guard case .principal(let principal) = grant else {
            // A signed link opens only the path it was signed for, and only for reading.
            guard Self.isSignable(target) else { throw APIStatus(code: 403, reason: "Forbidden", message: "Forbidden") }
            return
        }
        if case .jobAPI = target { return }
        guard let action = Self.action(request, target: target) else { return }
        if let refusal = Authorizer.check(principal, action) { throw refusal }
    }

    /// 403 unless the principal may read what a workbench page shows, as the API would let it read the same:
    /// a job's pages need `get` in its namespace, the scans list and the all-jobs stream need reads in every
    /// namespace, a namespace's stream `watch` there. A job's stream by uid names no namespace, so it needs
    /// reads everywhere too. The schedules list needs schedule reads in every namespace, a schedule's page (and
    /// its "Run now" form, which also needs job `create`) `get` of the schedule. The playground form and assets
    /// need only an accepted caller; what the forms create is checked by `authorizeWorkbenchCreation`.
    func authorize(_ principal: Principal, web target: WebTarget) throws {
        let action: Authorizer.Action?
        switch target {
        case .playground, .asset, .login, .logout: action = nil
        case .scans, .stream(.all), .stream(.job): action = .init(verb: "list", kind: .scanJob, namespace: nil)
        case .stream(.namespace(let namespace)): action = .init(verb: "watch", kind: .scanJob, namespace: namespace)
        case .status(let namespace, _), .report(let namespace, _), .artifact(let namespace, _, _):
            action = .init(verb: "get", kind: .scanJob, namespace: namespace)
        case .schedules: action = .init(verb: "list", kind: .scanSchedule, namespace: nil)
        case .schedule(let namespace, _), .runSchedule(let namespace, _):
            action = .init(verb: "get", kind: .scanSchedule, namespace: namespace)
        }
        if let action, let refusal = Authorizer.check(principal, action) { throw refusal }
    }

    /// A job (or, with `kind`, a schedule) created from the workbench needs `create` in its namespace, as on
    /// every other route.
    static func authorizeWorkbenchCreation(_ principal: Principal, kind: ResourceKind = .scanJob, namespace: String) throws {
        if let refusal = Authorizer.check(principal, .init(verb: "create", kind: kind, namespace: namespace)) { throw refusal }
    }

    /// 429 with `retryAfterSeconds` when the user has created too many jobs in the last minute.
    func limitCreation(_ principal: Principal) throws {
        guard isEnabled, let wait = limiter.admit(principal.user) else { return }
        var status = APIStatus(
            code: 429, reason: "TooManyRequests",
            message: "user \"\(principal.user)\" created \(limiter.limit) jobs in the last minute; try again in \(wait) s")
        var details = APIStatus.Details()
        details.retryAfterSeconds = wait
        status.details = details
        throw status
    }

    static func isSignable(_ target: RequestTarget) -> Bool {
        switch target {
        case .jobArtifact, .jobAPI(.artifact): return true
        default: return false
        }
    }

    /// The Kubernetes verb, kind and namespace of a request, or `nil` for paths that are no resource.
    static func action(_ request: Request, target: RequestTarget) -> Authorizer.Action? {
        let method = request.method
        switch target {
        case .collection(let kind, let namespace):
            let verb: String
            switch method {
            case .get, .head: verb = QueryParameters(request.uri.query)["watch"].map { $0 == "true" || $0 == "1" } == true ? "watch" : "list"
            case .post: verb = "create"
            case .delete: verb = "deletecollection"
            default: verb = method.rawValue.lowercased()
            }
            return .init(verb: verb, kind: kind, namespace: namespace)
        case .object(let kind, let namespace, _, let subresource):
            let verb: String
            switch method {
            case .get, .head: verb = "get"
            case .put: verb = "update"
            case .patch: verb = "patch"
            case .delete: verb = "delete"
            default: verb = method.rawValue.lowercased()
            }
            return .init(verb: verb, kind: kind, namespace: namespace, subresource: subresource)
        case .jobArtifact(let namespace, _, _):
            return .init(verb: method == .get || method == .head ? "get" : method.rawValue.lowercased(), kind: .scanJob, namespace: namespace)
        default:
            return nil
        }
    }
}
