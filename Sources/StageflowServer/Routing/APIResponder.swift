import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StageflowAPI
import StageflowSchema
import StageflowStore

/// The server's one responder: parses the path itself, dispatches to discovery, health, metrics or a resource
/// handler, turns every error into a `Status`, and logs and measures each request.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let store: ResourceStore
    let schemas: SchemaRegistry
    let configuration: APIServerConfiguration
    let logger: Logger
    let metrics: APIMetrics
    let readiness: ReadinessState
    let discovery: DiscoveryDocuments
    let resources: ResourceHandler
    let artifacts: ArtifactHandler
    let access: RequestAccess
    let jobs: JobAPIHandler
    let workbench: WorkbenchHandler
    let browserGuard: BrowserRequestGuard
    let events: EventHandler

    init(
        store: ResourceStore, schemas: SchemaRegistry, configuration: APIServerConfiguration, logger: Logger,
        metrics: APIMetrics, readiness: ReadinessState, events: ScanJobEventHub, access: RequestAccess, chain: WriteChain
    ) {
        self.store = store
        self.schemas = schemas
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.readiness = readiness
        discovery = DiscoveryDocuments(schemas: schemas, kubernetesVersion: configuration.kubernetesVersion)
        self.access = access
        browserGuard = BrowserRequestGuard(allowedHosts: configuration.allowedHosts, listenHost: configuration.host)
        resources = ResourceHandler(store: store, schemas: schemas, configuration: configuration, metrics: metrics, chain: chain)
        artifacts = ArtifactHandler(store: store, reader: configuration.artifacts)
        jobs = JobAPIHandler(
            store: store, resources: resources, configuration: configuration, access: access, metrics: metrics)
        self.events = EventHandler(store: store, resources: resources, configuration: configuration)
        workbench = WorkbenchHandler(
            store: store, resources: resources, objectStore: configuration.objectStore,
            stream: SSEStream(hub: events, keepaliveInterval: configuration.sseKeepaliveInterval), pages: WebPages(),
            maxRequestBodyBytes: configuration.maxRequestBodyBytes)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let clock = ContinuousClock()
        let started = clock.now
        let target = RequestTarget(path: request.uri.path)
        let web = WebTarget(path: request.uri.path, acceptsHTML: Self.acceptsHTML(request))
        var verb = request.method.rawValue
        var response: Response
        let scope = target.auditScope
        let audit = AuditRecord(namespace: scope.namespace, name: scope.name)
        var user = "anonymous"
        do {
            if case .health = target {} else { try browserGuard.check(request) }
            if web == .login {
                response = try await workbench.signIn(request, access: access)
            } else if case .asset(let file)? = web, request.method == .get || request.method == .head {
                // The style sheet and script are public: the sign-in page needs them.
                response = workbench.asset(file)
            } else if Self.isLongRunning(request, target: target, web: web) {
                response = try await AuditRecord.$current.withValue(audit) {
                    try await guarded(request, target: target, web: web, verb: &verb, user: &user)
                }
            } else {
                // The handler runs in a task of its own; it reports the verb and user as it learns them, so the
                // audit line names them whether it answers, fails or is overtaken by the deadline.
                let facts = RequestFacts(verb: verb)
                defer { (verb, user) = facts.snapshot }
                response = try await RequestDeadline.run(
                    configuration.requestTimeout, isWrite: BrowserRequestGuard.changesState(request.method)
                ) {
                    var verb = request.method.rawValue
                    var user = "anonymous"
                    defer { facts.record(verb: verb, user: user) }
                    return try await AuditRecord.$current.withValue(audit) {
                        try await self.guarded(request, target: target, web: web, verb: &verb, user: &user)
                    }
                }
            }
        } catch {
            let status = status(for: error, target: target)
            if status.code == 401, web != nil, request.method == .get || request.method == .head {
                // A browser that is not signed in goes to the sign-in page and comes back.
                response = WorkbenchHandler.redirect(
                    to: "/login?next=" + (request.uri.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            } else {
                response = APIResponse.status(status, headers: Self.retryAfter(status))
            }
        }
        let elapsed = started.duration(to: clock.now)
        let code = response.status.code
        metrics.requestCompleted(verb: verb, resource: web.map { $0.label } ?? target.resourceLabel, code: code, duration: elapsed)
        let metadata: Logger.Metadata = [
            "verb": .string(verb), "path": .string(request.uri.description), "code": .stringConvertible(code),
            "duration_ms": .stringConvertible(Int(Double(elapsed.nanoseconds) / 1_000_000)),
            "user_agent": .string(request.headers[.userAgent] ?? ""),
        ]
        let isWrite = [.post, .put, .patch, .delete].contains(request.method)
        logger.log(level: isWrite ? .info : .debug, "\(request.method) \(request.uri.path) \(code)", metadata: metadata)
        if isWrite {
            audit.log(
                to: configuration.access.auditLogger, user: user, verb: verb.lowercased(),
                resource: web.map { $0.label } ?? target.resourceLabel, code: code)
        }
        return response
    }

    /// Requests that legitimately run long and are not held to the request deadline: watches, event streams and
    /// archive uploads.
    static func isLongRunning(_ request: Request, target: RequestTarget, web: WebTarget?) -> Bool {
        if case .stream? = web { return true }
        if case .jobAPI(.createArchive) = target { return true }
        if request.method == .get, (try? QueryParameters(request.uri.query).bool("watch")) == true { return true }
        return false
    }

    /// Whether a request is a browser's page request: it accepts HTML, or posts a form.
    static func acceptsHTML(_ request: Request) -> Bool {
        (request.headers[.accept] ?? "").contains("text/html") || request.method == .post
    }

    func route(
        _ request: Request, target: RequestTarget, web: WebTarget?, verb: inout String, grant: RequestAccess.Grant
    ) async throws -> Response {
        if let web {
            verb = request.method.rawValue
            // Signed links open API paths only; `authorize` has refused them here already.
            guard case .principal(let principal) = grant else { throw APIStatus(code: 403, reason: "Forbidden", message: "Forbidden") }
            try access.authorize(principal, web: web)
            let session = access.sessionDigest(request)
            let viewer = WebViewer(
                principal: principal, signedIn: session != nil && request.headers[.authorization] == nil,
                csrf: access.sessions.csrfToken(forSession: session))
            if web == .logout { return try await workbench.signOut(request, viewer: viewer) }
            return try await workbench.respond(request, target: web, viewer: viewer)
        }
        switch target {
        case .jobAPI(let route):
            return try await jobs.respond(request, route: route, grant: grant, verb: &verb)
        case .collection(.event, let namespace):
            return try await events.collection(
                request, namespace: namespace, principal: try JobAPIHandler.principal(grant), verb: &verb)
        case .object(.event, let namespace, let name, _):
            return try await events.object(
                request, namespace: namespace, name: name, principal: try JobAPIHandler.principal(grant), verb: &verb)
        case .collection(let kind, let namespace):
            return try await resources.collection(
                request, kind: kind, namespace: namespace, principal: try JobAPIHandler.principal(grant), verb: &verb)
        case .object(let kind, let namespace, let name, let subresource):
            return try await resources.object(
                request, kind: kind, namespace: namespace, name: name, subresource: subresource,
                principal: try JobAPIHandler.principal(grant), verb: &verb)
        case .jobArtifact(let namespace, let name, let artifact):
            guard request.method == .get || request.method == .head else { throw APIStatus.verbNotAllowed }
            verb = "GET"
            return try await artifacts.respond(namespace: namespace, name: name, artifact: artifact)
        case .notFound:
            throw APIStatus.pathNotFound
        default:
            guard request.method == .get || request.method == .head else { throw APIStatus.verbNotAllowed }
            return try await read(request, target: target)
        }
    }

    /// The read-only endpoints: discovery, OpenAPI, version, health, metrics, events.
    private func read(_ request: Request, target: RequestTarget) async throws -> Response {
        switch target {
        case .root: return APIResponse.json(DiscoveryDocuments.rootPaths)
        case .version: return APIResponse.json(discovery.version)
        case .coreVersions:
            let host = request.head.authority ?? "\(configuration.host):\(configuration.port)"
            return APIResponse.json(discovery.coreVersions(serverAddress: host))
        case .coreResources: return APIResponse.json(discovery.coreResources)
        case .groupList: return APIResponse.json(discovery.groupList)
        case .group: return APIResponse.json(discovery.group)
        case .groupResources: return APIResponse.json(discovery.groupResources)
        case .events(let apiVersion):
            // events.k8s.io is not served (Events are core v1): a watch ends at once, a list is empty.
            if try QueryParameters(request.uri.query).bool("watch") {
                return Response(status: .ok, headers: [.contentType: APIResponse.jsonContentType], body: ResponseBody())
            }
            let revision = try await store.currentRevision()
            return APIResponse.json(DiscoveryDocuments.emptyEvents(apiVersion: apiVersion, resourceVersion: String(revision)))
        case .openAPIV2:
            return openAPIV2(accept: request.headers[.accept])
        case .openAPIV3Root:
            return APIResponse.json(schemas.openAPIV3Paths())
        case .openAPIV3(let groupVersion):
            guard let document = schemas.openAPIV3(groupVersion: groupVersion) else { throw APIStatus.pathNotFound }
            return APIResponse.json(document)
        case .health(let check):
            return await health(check)
        case .metrics:
            return APIResponse.text(metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case .collection, .object, .jobArtifact, .jobAPI, .notFound:
            throw APIStatus.pathNotFound
        }
    }

    /// `/openapi/v2` as protobuf when the client prefers it (kubectl does), JSON otherwise.
    private func openAPIV2(accept: String?) -> Response {
        for alternative in (accept ?? "").split(separator: ",") {
            let media = MediaType(String(alternative)).type
            if media.hasPrefix("application/com.github.proto-openapi.spec.v2") {
                return Response(
                    status: .ok, headers: [.contentType: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: schemas.openAPIV2Protobuf())))
            }
            if media == "application/json" || media == "*/*" || media == "application/*" { break }
        }
        return APIResponse.json(schemas.openAPIV2())
    }

    /// `/livez` answers while the process runs; `/healthz` also needs the store; `/readyz` also needs the
    /// listener up and no shutdown under way.
    private func health(_ check: RequestTarget.HealthCheck) async -> Response {
        if check == .livez { return APIResponse.text("ok") }
        var failures: [String] = []
        if check == .readyz {
            if !readiness.isServing || Task.isShuttingDownGracefully {
                failures.append("[-]serving failed: not serving requests")
            }
            // What the store's own calls have shown, not a new call queued behind the writes in flight. The reason
            // can name the database, so it goes to the log only.
            if let reason = store.health.unreadyReason() {
                logger.debug("not ready: \(reason)")
                failures.append("[-]store failed: the store is not answering or not accepting writes")
            }
        } else if !(await storeAnswers()) {
            failures.append("[-]store failed: the store does not answer")
        }
        if failures.isEmpty { return APIResponse.text("ok") }
        return APIResponse.text(
            failures.joined(separator: "\n") + "\n\(check.rawValue) check failed\n", status: .serviceUnavailable)
    }

    /// Whether the store answers within `storeCheckTimeout`; a hung store call is abandoned, not awaited. The
    /// timer is cancelled as soon as the store answers, so a probe leaves no task sleeping behind it.
    private func storeAnswers() async -> Bool {
        let answered = try? await RequestDeadline.run(configuration.storeCheckTimeout, isWrite: false) { [store] in
            _ = try await store.currentRevision()
        }
        return answered != nil
    }

    /// The `Status` for an error: API errors as they are, an unreachable database as 503, anything else 500.
    private func status(for error: any Error, target: RequestTarget) -> APIStatus {
        switch error {
        case let status as APIStatus:
            return status
        case let error as StorageUnavailable:
            metrics.storeError(resource: target.resourceLabel)
            // The cause (which may name the database) goes to the log only.
            logger.warning("storage unavailable: \(error.description)")
            var status = APIStatus.unavailable(
                error.storageFull
                    ? "the server's storage is full: writes fail until space is freed on its data volume"
                    : "the store is unavailable; try again shortly")
            status.details = APIStatus.Details()
            status.details?.retryAfterSeconds = 1
            return status
        case let error as DependencyUnavailable:
            logger.warning("\(error.message): \(error.detail)")
            var status = APIStatus.unavailable(error.message)
            status.details = APIStatus.Details()
            status.details?.retryAfterSeconds = 1
            return status
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return .tooLarge(limit: configuration.maxRequestBodyBytes)
        default:
            // Internal errors can name files, addresses or users: the client gets a reference to the log line.
            let reference = String(UInt32.random(in: .min ... .max), radix: 16)
            logger.error("internal error \(reference): \(String(reflecting: error))")
            return .internalError("an internal error occurred (reference \(reference) in the server log)")
        }
    }
}
