import Foundation
import Hummingbird
import StageflowAPI
import StageflowReport
import StageflowStore

/// The original job API as thin adapters over ScanJobs: create a job from URLs (`POST /api/v1/jobs/urls`) or a
/// ZIP upload (`POST /api/v1/jobs/zip`, in `+Archive`), and read it by uid (`GET /api/v1/jobs/{id}` with
/// `/results`, `/report`, `/diff`), plus the scanner catalog (`GET /api/v1/scanners`). Everything goes through
/// the same admission and authorisation as the Kubernetes-style routes.
struct JobAPIHandler: Sendable {
    let store: ResourceStore
    let resources: ResourceHandler
    let configuration: APIServerConfiguration
    let access: RequestAccess
    let metrics: APIMetrics

    /// The most URLs one job may name (as the ScanJob schema says).
    static let maxURLs = 100

    func respond(_ request: Request, route: JobAPIRoute, grant: RequestAccess.Grant, verb: inout String) async throws
        -> Response
    {
        let isRead = request.method == .get || request.method == .head
        switch route {
        case .createURLs, .createArchive:
            guard request.method == .post else { throw APIStatus.verbNotAllowed }
            verb = "CREATE"
            let principal = try Self.principal(grant)
            if route == .createURLs { return try await createURLJob(request, principal: principal) }
            return try await createArchiveJob(request, principal: principal)
        case .scanners:
            guard isRead else { throw APIStatus.verbNotAllowed }
            verb = "LIST"
            try authorize(grant, verb: "list", kind: .scanner, namespace: nil)
            return try await scanners()
        case .job(let id), .results(let id), .report(let id), .diff(let id):
            guard isRead else { throw APIStatus.verbNotAllowed }
            verb = "GET"
            let job = try await readableJob(id, grant: grant)
            switch route {
            case .results: return try await results(job, uid: id)
            case .report: return try await report(job, uid: id, format: QueryParameters(request.uri.query)["format"])
            case .diff: return try await diff(job, uid: id)
            default: return APIResponse.json(describe(job, uid: id))
            }
        case .artifact(let id, let path):
            guard isRead else { throw APIStatus.verbNotAllowed }
            verb = "GET"
            _ = try await readableJob(id, grant: grant)
            let reader = try self.reader()
            do {
                guard let stored = try await reader.artifact(jobUID: id, path: path) else {
                    throw APIStatus(code: 404, reason: "NotFound", message: "job \"\(id)\" has no artifact \"\(path)\"")
                }
                return ArtifactHandler.response(stored, fallbackType: "application/octet-stream")
            } catch let error as ArtifactReaderError {
                if error.isInvalidPath { throw APIStatus.badRequest(error.message) }
                throw DependencyUnavailable(message: "the object store cannot be read; try again shortly", detail: error.message)
            }
        }
    }

    // MARK: Creation from URLs

    /// `{urls, scanners, namespace?, allowPrivateTargets?, options?}` → a ScanJob; 201 `{id, name, namespace, statusUrl}`.
    private func createURLJob(_ request: Request, principal: Principal) async throws -> Response {
        // Authorised before the body is read: only a principal that may create jobs somewhere costs a parse.
        try Self.requireCreator(principal)
        let format = try RequestDocument.format(contentType: request.headers[.contentType])
        let data = try await RequestDocument.collect(request, limit: configuration.maxRequestBodyBytes)
        let body = try RequestDocument.parse(data, format: format)
        guard body.objectValue != nil else { throw APIStatus.badRequest("the body must be a JSON object") }
        guard let list = body["urls"]?.arrayValue else {
            throw Self.invalid("urls", "Required value: a list of 1 to \(Self.maxURLs) http(s) URLs")
        }
        guard !list.isEmpty, list.count <= Self.maxURLs else {
            throw Self.invalid("urls", "Invalid value: \(list.count) URLs; give 1 to \(Self.maxURLs)")
        }
        var urls: [JSONValue] = []
        for (index, value) in list.enumerated() {
            guard value.stringValue != nil else { throw Self.invalid("urls[\(index)]", "Invalid value: must be a string") }
            urls.append(value)
        }
        let namespace = try Self.namespace(body["namespace"])
        let allowPrivate = body["allowPrivateTargets"]
        if let allowPrivate, allowPrivate.boolValue == nil, !allowPrivate.isNull {
            throw Self.invalid("allowPrivateTargets", "Invalid value: must be true or false")
        }
        let scanners = try Self.scanners(body["scanners"], options: body["options"])
        try authorizeCreation(principal, namespace: namespace)
        var spec: [String: JSONValue] = ["target": ["urls": .array(urls)], "scanners": .array(scanners)]
        if let flag = allowPrivate?.boolValue { spec["allowPrivateTargets"] = .bool(flag) }
        let created = try await resources.createScanJob(
            Self.scanJob(namespace: namespace, spec: spec), principal: principal, fieldManager: Self.fieldManager)
        return created201(created)
    }

    // MARK: Reads

    private func describe(_ job: JSONValue, uid: String) -> JSONValue {
        let base = "/api/v1/jobs/\(uid)"
        return [
            "id": .string(uid), "name": job[path: ["metadata", "name"]] ?? .null,
            "namespace": job[path: ["metadata", "namespace"]] ?? .null,
            "phase": job[path: ["status", "phase"]] ?? "Pending",
            "createdAt": job[path: ["metadata", "creationTimestamp"]] ?? .null,
            "spec": job["spec"] ?? .null, "status": job["status"] ?? .object([:]),
            "links": [
                "self": .string(base), "results": .string(base + "/results"), "report": .string(base + "/report"),
                "diff": .string(base + "/diff"),
            ],
        ]
    }

    /// Per-scanner state from the job's status, with signed links to each scanner's stored results and report.
    private func results(_ job: JSONValue, uid: String) async throws -> Response {
        let paths = Set(try await artifactPaths(uid))
        var scanners: [JSONValue] = []
        for entry in job[path: ["status", "scanners"]]?.arrayValue ?? [] {
            var entry = entry
            if let name = entry["name"]?.stringValue {
                if paths.contains("\(name)/results.json") { entry["resultsUrl"] = .string(link(uid, "\(name)/results.json")) }
                if paths.contains("\(name)/report.html") { entry["reportUrl"] = .string(link(uid, "\(name)/report.html")) }
            }
            scanners.append(entry)
        }
        let artifacts: [JSONValue] = paths.sorted().map { ["path": .string($0), "url": .string(link(uid, $0))] }
        return APIResponse.json([
            "id": .string(uid), "phase": job[path: ["status", "phase"]] ?? "Pending", "scanners": .array(scanners),
            "artifacts": .array(artifacts),
        ])
    }

    /// 302 to the report: a presigned object-store URL where the store issues them, else a signed link here.
    private func report(_ job: JSONValue, uid: String, format: String?) async throws -> Response {
        let html = format == "html"
        guard format == nil || html || format == "json" else {
            throw APIStatus.badRequest("format must be json or html, not \"\(format ?? "")\"")
        }
        let keyField = html ? "htmlKey" : "jsonKey"
        guard job[path: ["status", "reportRef", keyField]]?.stringValue != nil else {
            let phase = job[path: ["status", "phase"]]?.stringValue ?? "Pending"
            throw APIStatus(code: 404, reason: "NotFound", message: "job \"\(uid)\" has no \(html ? "HTML" : "JSON") report yet (phase \(phase))")
        }
        let path = html ? "report.html" : "report.json"
        var location = link(uid, path)
        if let store = configuration.artifacts as? any ArtifactStore,
            let direct = try await store.directLink(
                jobUID: uid, path: path, expiresInSeconds: Int(configuration.access.linkLifetime.components.seconds))
        {
            location = direct.absoluteString
        }
        return APIResponse.json(["url": .string(location)], status: .found, headers: [.location: location])
    }

    /// The job's report against its `baselineRef`: the diff the report carries, or one computed here.
    private func diff(_ job: JSONValue, uid: String) async throws -> Response {
        guard let baselineName = job[path: ["spec", "baselineRef", "name"]]?.stringValue, !baselineName.isEmpty else {
            throw APIStatus(code: 404, reason: "NotFound", message: "job \"\(uid)\" has no baselineRef to compare with")
        }
        let report = try await loadReport(uid: uid, what: "job \"\(uid)\"")
        if let diff = report.diff { return APIResponse.json(try JSONValue(encoding: diff)) }
        let namespace = job[path: ["metadata", "namespace"]]?.stringValue ?? Names.defaultNamespace
        let baseline = try await store.get(.scanJob, namespace: namespace, name: baselineName)
        let baselineUID = baseline[path: ["metadata", "uid"]]?.stringValue ?? ""
        let baselineReport = try await loadReport(uid: baselineUID, what: "the baseline \"\(baselineName)\"")
        return APIResponse.json(try JSONValue(encoding: BaselineDiff.compare(report, with: baselineReport)))
    }

    private func loadReport(uid: String, what: String) async throws -> Report {
        let stored: StoredArtifact?
        do {
            stored = try await reader().report(jobUID: uid)
        } catch let error as ArtifactReaderError {
            throw DependencyUnavailable(message: "the object store cannot be read; try again shortly", detail: error.message)
        }
        guard let stored else { throw APIStatus(code: 404, reason: "NotFound", message: "\(what) has no report yet") }
        do {
            return try Report.decode(from: stored.data)
        } catch {
            throw APIStatus.internalError("the report of \(what) cannot be read: \(error)")
        }
    }

    private func scanners() async throws -> Response {
        let page = try await store.list(.scanner, namespace: nil, options: ListOptions())
        let items: [JSONValue] = page.items.map { scanner in
            var item: [String: JSONValue] = ["name": scanner[path: ["metadata", "name"]] ?? .null]
            for field in ["id", "version", "displayName", "description", "capabilities", "configSchema"] {
                if let value = scanner[path: ["spec", field]] { item[field] = value }
            }
            return .object(item)
        }
        return APIResponse.json(["scanners": .array(items)])
    }

    // MARK: Shared

    /// The job with uid `id`, if the grant may read it (signed links only reach `artifact`).
    private func readableJob(_ id: String, grant: RequestAccess.Grant) async throws -> JSONValue {
        let job = try await resources.scanJob(uid: id)
        let namespace = job[path: ["metadata", "namespace"]]?.stringValue
        AuditRecord.current?.namespace = namespace
        AuditRecord.current?.name = job[path: ["metadata", "name"]]?.stringValue
        try authorize(grant, verb: "get", kind: .scanJob, namespace: namespace)
        return job
    }

    private func authorize(_ grant: RequestAccess.Grant, verb: String, kind: ResourceKind, namespace: String?) throws {
        guard case .principal(let principal) = grant else { return }
        if let refusal = Authorizer.check(principal, .init(verb: verb, kind: kind, namespace: namespace)) { throw refusal }
    }

    /// 403 unless the principal may create ScanJobs in `namespace` (the creation rate is the write path's).
    func authorizeCreation(_ principal: Principal, namespace: String) throws {
        AuditRecord.current?.namespace = namespace
        if let refusal = Authorizer.check(principal, .init(verb: "create", kind: .scanJob, namespace: namespace)) {
            throw refusal
        }
    }

    /// 403 for a principal that may create jobs in no namespace, before its request body is read.
    static func requireCreator(_ principal: Principal) throws {
        guard principal.role >= .editor else {
            throw Authorizer.forbidden(principal, .init(verb: "create", kind: .scanJob, namespace: nil))
        }
    }

    /// The manager the job API records in `managedFields`.
    static let fieldManager = "stageflow-job-api"

    func created201(_ created: JSONValue) -> Response {
        let uid = created[path: ["metadata", "uid"]]?.stringValue ?? ""
        AuditRecord.current?.name = created[path: ["metadata", "name"]]?.stringValue
        return APIResponse.json(
            [
                "id": .string(uid), "name": created[path: ["metadata", "name"]] ?? .null,
                "namespace": created[path: ["metadata", "namespace"]] ?? .null, "statusUrl": .string("/api/v1/jobs/\(uid)"),
            ], status: .created, headers: [.location: "/api/v1/jobs/\(uid)"])
    }

    /// A signed link to an artifact of the job, served by `GET /api/v1/jobs/{id}/artifacts/{path}`.
    func link(_ uid: String, _ path: String) -> String {
        let encoded = path.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? String($0)
        }.joined(separator: "/")
        return access.signer.link(for: "/api/v1/jobs/\(uid)/artifacts/\(encoded)")
    }

    private func artifactPaths(_ uid: String) async throws -> [String] {
        guard let store = configuration.artifacts as? any ArtifactStore else { return [] }
        do {
            return try await store.artifactPaths(jobUID: uid)
        } catch {
            throw DependencyUnavailable(message: "the object store cannot be listed; try again shortly", detail: "\(error)")
        }
    }

    func reader() throws -> any ArtifactReader {
        guard let reader = configuration.artifacts else {
            throw APIStatus.unavailable(
                "no object store is configured for this API server (start it with --object-store or STAGEFLOW_OBJECT_STORE)")
        }
        return reader
    }

    static func principal(_ grant: RequestAccess.Grant) throws -> Principal {
        guard case .principal(let principal) = grant else {
            throw APIStatus(code: 403, reason: "Forbidden", message: "Forbidden: a signed link only reads the object it names")
        }
        return principal
    }

    /// The ScanJob the adapters create.
    static func scanJob(namespace: String, spec: [String: JSONValue]) -> JSONValue {
        [
            "apiVersion": .string(ResourceKind.scanJob.apiVersion), "kind": .string(ResourceKind.scanJob.kind),
            "metadata": ["generateName": "job-", "namespace": .string(namespace)], "spec": .object(spec),
        ]
    }

    /// `namespace`, `default` when absent.
    static func namespace(_ value: JSONValue?) throws -> String {
        guard let value, !value.isNull else { return Names.defaultNamespace }
        guard let namespace = value.stringValue, !namespace.isEmpty else {
            throw invalid("namespace", "Invalid value: must be a namespace name")
        }
        return namespace
    }

    /// The selections of `scanners` (names, or `{name, config}` objects) with `options[name]` as config.
    static func scanners(_ value: JSONValue?, options: JSONValue?) throws -> [JSONValue] {
        guard let list = value?.arrayValue, !list.isEmpty else {
            throw invalid("scanners", "Required value: a list of scanner names")
        }
        let options = options?.objectValue ?? [:]
        var names: [String] = []
        var selections: [JSONValue] = []
        for (index, item) in list.enumerated() {
            var selection: [String: JSONValue]
            if let name = item.stringValue {
                selection = ["name": .string(name)]
            } else if let object = item.objectValue, object["name"]?.stringValue != nil {
                selection = object
            } else {
                throw invalid("scanners[\(index)]", "Invalid value: must be a scanner name")
            }
            let name = selection["name"]?.stringValue ?? ""
            names.append(name)
            if let config = options[name] { selection["config"] = config }
            selections.append(.object(selection))
        }
        if let stray = options.keys.sorted().first(where: { !names.contains($0) }) {
            throw invalid("options.\(stray)", "Invalid value: options for a scanner that is not selected")
        }
        return selections
    }

    static func invalid(_ field: String, _ message: String) -> APIStatus {
        APIStatus(
            code: 422, reason: "Invalid", message: "the job request is invalid: \(field): \(message)",
            details: APIStatus.Details(kind: "jobs", causes: [.init(reason: "FieldValueInvalid", message: message, field: field)]))
    }
}
