import Foundation
import Logging
import StageflowAPI
import WSClient

/// One Chrome DevTools Protocol connection: a WebSocket to the browser's endpoint, with target sessions
/// flattened onto it (every message to or from a page carries its `sessionId`). Commands are answered by id;
/// events are handed to the listener registered for their session, in arrival order, on the connection's
/// reader (listeners must not block).
actor CDPConnection {
    /// A protocol event: its method, parameters and the session it belongs to (`nil` for the browser).
    struct Event: Sendable {
        let method: String
        let params: JSONValue
        let sessionID: String?
    }

    /// Receives the events of one session.
    typealias Listener = @Sendable (Event) -> Void

    private var nextID: Int64 = 1
    private var pending: [Int64: CheckedContinuation<JSONValue, any Error>] = [:]
    private var deadlines: [Int64: Task<Void, Never>] = [:]
    /// How long a command may go unanswered before it fails: a browser that hangs must not hang the scan.
    static let commandTimeout: Duration = .seconds(120)
    private var listeners: [String: Listener] = [:]
    private var outbound: WebSocketOutboundWriter?
    private var closedError: CDPError?
    private var readyWaiter: CheckedContinuation<Void, any Error>?
    private var task: Task<Void, Never>?
    private let endpoint: String

    private init(endpoint: String) {
        self.endpoint = endpoint
    }

    /// Connects to a browser endpoint (`ws://127.0.0.1:PORT/devtools/browser/ID`).
    static func connect(to endpoint: String, logger: Logger) async throws -> CDPConnection {
        let connection = CDPConnection(endpoint: endpoint)
        try await connection.start(logger: logger)
        return connection
    }

    private func start(logger: Logger) async throws {
        // Screenshots and serialised documents arrive as single messages of many MiB.
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 26)
        let endpoint = endpoint
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            readyWaiter = continuation
            task = Task {
                do {
                    try await WebSocketClient.connect(url: endpoint, configuration: configuration, logger: logger) {
                        inbound, outbound, _ in
                        await self.attach(outbound)
                        var messages = inbound.makeAsyncIterator()
                        while let message = try await messages.nextMessage(maxSize: 1 << 28) {
                            if case .text(let text) = message { await self.receive(text) }
                        }
                    }
                    self.finish(CDPError.closed("the browser closed the DevTools connection"))
                } catch {
                    self.finish(CDPError.closed("the DevTools connection to \(endpoint) failed: \(error)"))
                }
            }
        }
    }

    private func attach(_ writer: WebSocketOutboundWriter) {
        outbound = writer
        readyWaiter?.resume()
        readyWaiter = nil
    }

    private func finish(_ error: CDPError) {
        if closedError == nil { closedError = error }
        readyWaiter?.resume(throwing: error)
        readyWaiter = nil
        let waiting = pending
        pending = [:]
        for (_, timer) in deadlines { timer.cancel() }
        deadlines = [:]
        for (_, continuation) in waiting { continuation.resume(throwing: error) }
        outbound = nil
    }

    /// Sends a command and returns its result; a protocol error throws `CDPError.protocolError`.
    func send(_ method: String, _ params: JSONValue = [:], session: String? = nil) async throws -> JSONValue {
        if let closedError { throw closedError }
        guard let outbound else { throw CDPError.closed("the DevTools connection is not open") }
        let id = nextID
        nextID += 1
        var message: JSONValue = ["id": .int(id), "method": .string(method), "params": params]
        if let session { message["sessionId"] = .string(session) }
        let text = message.jsonString()
        return try await withCheckedThrowingContinuation { continuation in
            pending[id] = continuation
            deadlines[id] = Task {
                try? await Task.sleep(for: Self.commandTimeout)
                guard !Task.isCancelled else { return }
                self.fail(id, CDPError.closed("\(method) got no answer from the browser within \(Self.commandTimeout)"))
            }
            Task {
                do {
                    try await outbound.write(.text(text))
                } catch {
                    self.fail(id, CDPError.closed("cannot send \(method): \(error)"))
                }
            }
        }
    }

    private func fail(_ id: Int64, _ error: CDPError) {
        deadlines.removeValue(forKey: id)?.cancel()
        pending.removeValue(forKey: id)?.resume(throwing: error)
    }

    /// Routes the events of `session` (`""` for the browser's own) to `listener`, replacing an earlier one.
    func listen(session: String, _ listener: @escaping Listener) {
        listeners[session] = listener
    }

    /// Stops routing the events of `session`.
    func stopListening(session: String) {
        listeners.removeValue(forKey: session)
    }

    private func receive(_ text: String) {
        guard let message = try? JSONValue.parse(text) else { return }
        if let id = message["id"]?.intValue {
            deadlines.removeValue(forKey: id)?.cancel()
            guard let continuation = pending.removeValue(forKey: id) else { return }
            if let error = message["error"] {
                let code = error["code"]?.intValue ?? 0
                let text = error["message"]?.stringValue ?? "unknown error"
                let data = error["data"]?.stringValue
                continuation.resume(throwing: CDPError.protocolError(code: code, message: data.map { "\(text): \($0)" } ?? text))
            } else {
                continuation.resume(returning: message["result"] ?? [:])
            }
            return
        }
        guard let method = message["method"]?.stringValue else { return }
        let session = message["sessionId"]?.stringValue
        listeners[session ?? ""]?(Event(method: method, params: message["params"] ?? [:], sessionID: session))
    }

    /// Closes the WebSocket; pending commands fail.
    func close() async {
        finish(CDPError.closed("the DevTools connection was closed"))
        task?.cancel()
        task = nil
    }
}
