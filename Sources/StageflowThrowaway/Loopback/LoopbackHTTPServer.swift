import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A request a loopback test server received.
public struct LoopbackRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path, without the query.
    public var path: String
    /// The header fields, names lower-cased, in order.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: Data

    /// The first value of a header field.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }
}

/// What a loopback test server answers.
public struct LoopbackResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Header fields.
    public var headers: [(name: String, value: String)]
    /// Body.
    public var body: Data
    /// Wait this long before answering.
    public var delay: Duration

    /// A response.
    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Data = Data(), delay: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }

    /// An HTML page.
    public static func html(_ text: String, status: Int = 200) -> LoopbackResponse {
        LoopbackResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(text.utf8))
    }

    /// A redirect.
    public static func redirect(to location: String, status: Int = 302) -> LoopbackResponse {
        LoopbackResponse(status: status, headers: [("Location", location)])
    }

    /// A JSON body.
    public static func json(_ object: Any, status: Int = 200, headers: [(name: String, value: String)] = []) -> LoopbackResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return LoopbackResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: data)
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 (Hummingbird) answering every request through a closure, for tests that need
/// a site or an API on loopback. Stopped by `stop()`.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    private init(port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.port = port
        self.task = task
        self.group = group
    }

    /// Starts a server answering with `handler`.
    public static func start(_ handler: @escaping @Sendable (LoopbackRequest) async -> LoopbackResponse) async throws -> LoopbackHTTPServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "stageflow.test.loopback")
        // Stopping the server cancels its task, which Hummingbird reports as errors; they mean nothing here.
        logger.logLevel = .critical
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: 64 << 20)
            let received = LoopbackRequest(
                method: request.method.rawValue, path: request.uri.path,
                headers: request.headers.map { (name: $0.name.canonicalName, value: $0.value) },
                body: Data(body.readableBytesView))
            let answer = await handler(received)
            if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let field = HTTPFields.Element.Name(name) { fields.append(HTTPFields.Element(name: field, value: value)) }
            }
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        let application = Application(
            responder: responder, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        // Stopped by a graceful shutdown, which closes open connections properly (cancelling the task instead
        // can trip NIO's check that every writer was finished).
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        // Its own thread: blocking waits elsewhere in the test process cannot keep it from answering.
        let task = Task(executorPreference: DedicatedThreadExecutor(name: "stageflow-loopback-server")) {
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw E2EError("the loopback test server did not start")
        }
        return LoopbackHTTPServer(port: port, task: task, group: group)
    }

    /// Stops the server: a graceful shutdown, which ends in the background.
    public func stop() {
        let group = self.group
        Task { await group.triggerGracefulShutdown() }
    }

    deinit {
        let group = self.group
        Task { await group.triggerGracefulShutdown() }
    }
}

extension LoopbackHTTPServer {
    /// A site of fixed pages by path (`{{base}}` in a body or header stands for the server's own base URL); other
    /// paths get 404. Every request's `METHOD /path` is recorded in `log`.
    public static func site(_ routes: [String: LoopbackResponse], log: RequestLog = RequestLog()) async throws -> LoopbackHTTPServer {
        let base = BaseBox()
        let server = try await LoopbackHTTPServer.start { request in
            log.append("\(request.method) \(request.path)")
            guard var answer = routes[request.path] else { return .html("<!doctype html><title>Not found</title><h1>Not found</h1>", status: 404) }
            let origin = base.value
            answer.body = Data(String(decoding: answer.body, as: UTF8.self).replacingOccurrences(of: "{{base}}", with: origin).utf8)
            answer.headers = answer.headers.map { ($0.name, $0.value.replacingOccurrences(of: "{{base}}", with: origin)) }
            return answer
        }
        base.value = server.baseURL
        return server
    }

    /// The requests a site saw.
    public final class RequestLog: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []

        /// An empty log.
        public init() {}

        func append(_ line: String) { lock.withLock { lines.append(line) } }

        /// `METHOD /path` of every request, in order.
        public var entries: [String] { lock.withLock { lines } }
    }

    private final class BaseBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored = ""
        var value: String {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }
}
