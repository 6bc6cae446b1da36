import Foundation
import Hummingbird
import StageflowAPI
import StageflowObjectStore
import StageflowStore

/// The web workbench: the playground, the live status of a job, its report, the list of jobs, the job's
/// artifacts, the schedules with the trend of their runs, and the event streams the pages follow. Pages are rendered on the server; a little plain
/// JavaScript (`/assets/workbench.js`) makes them live.
struct WorkbenchHandler: Sendable {
    let store: ResourceStore
    let resources: ResourceHandler
    let objectStore: (any ObjectStore)?
    let stream: SSEStream
    let pages: WebPages
    let maxRequestBodyBytes: Int

    /// Answers a workbench request the caller (`viewer`) may make.
    func respond(_ request: Request, target: WebTarget, viewer: WebViewer) async throws -> Response {
        switch (target, request.method) {
        case (.stream(let scope), .get):
            return try await stream.response(request, scope: scope)
        case (.asset(let file), .get), (.asset(let file), .head):
            return asset(file)
        case (.playground, .get), (.playground, .head):
            return html(try await playground(PlaygroundSubmission()), title: "Playground", page: "playground", viewer: viewer)
        case (.playground, .post):
            return try await submit(request, viewer: viewer)
        case (.scans, .get):
            return html(try await scansContext(), title: "Scans", page: "scans", viewer: viewer)
        case (.status(let namespace, let name), .get):
            guard let job = try await job(namespace: namespace, name: name) else { return jobNotFound(namespace, name) }
            return html(statusContext(job), title: "Scan \(name)", page: "status", viewer: viewer)
        case (.report(let namespace, let name), .get):
            guard let job = try await job(namespace: namespace, name: name) else { return jobNotFound(namespace, name) }
            return html(try await reportContext(job), title: "Report of \(name)", page: "report", viewer: viewer)
        case (.schedules, .get):
            return html(try await schedulesContext(), title: "Schedules", page: "schedules", viewer: viewer)
        case (.schedule(let namespace, let name), .get):
            guard let schedule = try await schedule(namespace: namespace, name: name) else { return scheduleNotFound(namespace, name) }
            return html(scheduleContext(schedule, viewer: viewer), title: "Schedule \(name)", page: "schedule", viewer: viewer)
        case (.runSchedule(let namespace, let name), .post):
            return try await runSchedule(request, namespace: namespace, name: name, viewer: viewer)
        case (.artifact(let namespace, let name, let key), .get):
            return try await artifact(namespace: namespace, name: name, relativeKey: key)
        default:
            throw APIStatus.verbNotAllowed
        }
    }

    /// A static asset (the script or the style sheet).
    func asset(_ file: String) -> Response {
        guard let asset = WebPages.assets[file] else { return notFound("There is no asset \(file).") }
        return Response(
            status: .ok,
            headers: [
                .contentType: asset.contentType, .cacheControl: "no-cache", HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    // MARK: Pages

    func html(
        _ context: [String: Any], title: String, page: String, status: HTTPResponse.Status = .ok, viewer: WebViewer? = nil,
        headers extra: HTTPFields = [:]
    ) -> Response {
        let current: String? = ["playground", "scans", "schedules"].contains(page) ? page : nil
        let text = pages.render(page, title: "\(title) · Stageflow", context: context, current: current, viewer: viewer)
        var headers = Self.pageHeaders
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The headers of every workbench page: no inline or foreign script, no framing, no sniffing, no referrer
    /// beyond the origin (docs/security.md).
    static let pageHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
        .contentSecurityPolicy:
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        HTTPFields.Element.Name("X-Frame-Options")!: "DENY",
        HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
        HTTPFields.Element.Name("Referrer-Policy")!: "same-origin",
    ]

    func notFound(_ message: String) -> Response {
        html(["heading": "Not found", "message": message], title: "Not found", page: "error", status: .notFound)
    }

    func jobNotFound(_ namespace: String, _ name: String) -> Response {
        notFound("There is no scan \(name) in the namespace \(namespace).")
    }

    func job(namespace: String, name: String) async throws -> JSONValue? {
        try await stored(.scanJob, namespace: namespace, name: name)
    }

    /// The stored object, or `nil` when there is none.
    func stored(_ kind: ResourceKind, namespace: String, name: String) async throws -> JSONValue? {
        do {
            return try await store.get(kind, namespace: namespace, name: name)
        } catch let status as APIStatus where status.code == 404 {
            return nil
        }
    }

    // MARK: Artifacts

    /// An object under the job's `artifacts/<uid>/` prefix, and nothing outside it.
    private func artifact(namespace: String, name: String, relativeKey: String) async throws -> Response {
        guard let objectStore else {
            return notFound("This server has no object store configured, so it cannot serve artifacts.")
        }
        guard let job = try await job(namespace: namespace, name: name),
            let uid = job[path: ["metadata", "uid"]]?.stringValue
        else { return jobNotFound(namespace, name) }
        let prefix = try ObjectKeys.artifactsPrefix(jobUID: uid)
        let key = prefix + relativeKey
        do {
            try ObjectKeys.validate(key)
        } catch let error as ObjectStoreError {
            throw APIStatus.badRequest("\(error)")
        }
        guard key.hasPrefix(prefix) else { throw APIStatus.badRequest("the key is outside the job's artifacts") }
        let data: Data
        do {
            data = try await objectStore.get(key)
        } catch let error as ObjectStoreError where error.kind == .notFound {
            return notFound("The scan \(name) has no artifact \(relativeKey).")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: Self.contentType(of: key), .cacheControl: "private, max-age=300",
                HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
                // data: images: the stored report.html embeds its screenshots.
                .contentSecurityPolicy: "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func contentType(of key: String) -> String {
        switch (key as NSString).pathExtension.lowercased() {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "webp": return "image/webp"
        case "json": return "application/json"
        case "html": return "text/html; charset=utf-8"
        case "txt", "log": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    /// The workbench link of an artifact key, or `nil` when it is not under the job's prefix.
    static func artifactLink(namespace: String, name: String, uid: String, key: String) -> String? {
        guard let prefix = try? ObjectKeys.artifactsPrefix(jobUID: uid), key.hasPrefix(prefix),
            (try? ObjectKeys.validate(key)) != nil
        else { return nil }
        let relative = key.dropFirst(prefix.count).split(separator: "/").map { segment in
            segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? String(segment)
        }
        return "/scans/\(pathSegment(namespace))/\(pathSegment(name))/artifacts/" + relative.joined(separator: "/")
    }

    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? text
    }
}
