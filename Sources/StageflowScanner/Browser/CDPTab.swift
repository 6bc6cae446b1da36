import Foundation
import StageflowAPI
import StageflowHTTP

/// One tab over the DevTools Protocol: a browser context of its own, a page target in it, and a flattened
/// session to that target. It records what the browser reports while a page loads (the document's response,
/// every request, failures, script errors) and answers the page-request interception (`Fetch`) through the
/// request gate.
final class CDPTab: LoadingTab, @unchecked Sendable {
    private let connection: CDPConnection
    private let session: String
    private let contextID: String
    private let gate: (any RequestGate)?
    /// The proxy all of the tab's browser context goes through, when it has one.
    private let egress: EgressProxy?
    /// What the page did across loads, for interactive use (`CDPTab+Interaction.swift`).
    let journal = TabJournal()
    private let lock = NSLock()
    private var state = LoadState()
    private var loadWaiter: CheckedContinuation<Void, Never>?

    /// What one load observed.
    private struct LoadState {
        var loaderID: String?
        var loaded = false
        /// Document responses of the main frame by loader: they can arrive before `Page.navigate` answers.
        var documents: [String: DocumentResponse] = [:]
        /// Loaders whose load event fired (which can also precede the answer).
        var loadedLoaders: Set<String> = []
        var requests = 0
        var transferBytes: Int64 = 0
        var failedRequests = 0
        var blocked: [String] = []
        var scriptErrors: [String] = []
    }

    /// The main document's final response.
    private struct DocumentResponse {
        var status: Int?
        var headers: HTTPHeaders
        var url: String?
        var timeToFirstByteMs: Double?
    }

    /// The main frame's id, which for a page target is the target's id.
    private let frameID: String

    static func open(on connection: CDPConnection, options: TabOptions, egress: EgressProxy? = nil) async throws -> CDPTab {
        var contextParameters: JSONValue = ["disposeOnDetach": true]
        if let egress {
            // Loopback is proxied too (Chromium would otherwise bypass proxies for it).
            contextParameters["proxyServer"] = .string(egress.proxyServer)
            contextParameters["proxyBypassList"] = "<-loopback>"
        }
        let context = try await connection.send("Target.createBrowserContext", contextParameters)
        guard let contextID = context["browserContextId"]?.stringValue else {
            throw CDPError.protocolError(code: 0, message: "Target.createBrowserContext returned no id")
        }
        let target = try await connection.send(
            "Target.createTarget", ["url": "about:blank", "browserContextId": .string(contextID)])
        guard let targetID = target["targetId"]?.stringValue else {
            throw CDPError.protocolError(code: 0, message: "Target.createTarget returned no id")
        }
        let attached = try await connection.send("Target.attachToTarget", ["targetId": .string(targetID), "flatten": true])
        guard let session = attached["sessionId"]?.stringValue else {
            throw CDPError.protocolError(code: 0, message: "Target.attachToTarget returned no session")
        }
        let tab = CDPTab(
            connection: connection, session: session, contextID: contextID, frameID: targetID, gate: options.requestGate,
            egress: egress)
        await connection.listen(session: session) { [weak tab] event in tab?.handle(event) }
        try await tab.configure(options)
        return tab
    }

    /// The navigation error Chromium reports when the host's network configuration changed mid-request.
    static let networkChanged = "net::ERR_NETWORK_CHANGED"
    /// How many times a navigation dropped by a network change is asked again.
    static let networkChangedRetries = 2

    private init(
        connection: CDPConnection, session: String, contextID: String, frameID: String, gate: (any RequestGate)?,
        egress: EgressProxy?
    ) {
        self.connection = connection
        self.frameID = frameID
        self.session = session
        self.contextID = contextID
        self.gate = gate
        self.egress = egress
    }

    func send(_ method: String, _ params: JSONValue = [:]) async throws -> JSONValue {
        try await connection.send(method, params, session: session)
    }

    private func configure(_ options: TabOptions) async throws {
        _ = try await send("Page.enable")
        _ = try await send("Page.setLifecycleEventsEnabled", ["enabled": true])
        _ = try await send("Network.enable")
        _ = try await send("Runtime.enable")
        _ = try await send(
            "Emulation.setDeviceMetricsOverride",
            ["width": .int(Int64(options.width)), "height": .int(Int64(options.height)), "deviceScaleFactor": 1, "mobile": false])
        if let userAgent = options.userAgent {
            _ = try await send("Network.setUserAgentOverride", ["userAgent": .string(userAgent)])
        }
        for script in options.documentStartScripts {
            _ = try await send("Page.addScriptToEvaluateOnNewDocument", ["source": .string(script)])
        }
        if gate != nil {
            _ = try await send("Fetch.enable", ["patterns": [["urlPattern": "*", "requestStage": "Request"]]])
        }
    }

    // MARK: Loading

    func load(_ url: String, timeout: Duration) async throws -> TabLoad {
        // Connections the previous page tried after its load ended are not this page's.
        _ = egress?.log.drain()
        var navigation: JSONValue
        var retries = 0
        repeat {
            lock.withLock { state = LoadState() }
            do {
                navigation = try await send("Page.navigate", ["url": .string(url)])
            } catch CDPError.protocolError(_, let message) {
                return TabLoad(page: nil, errors: ["the browser refused to open \(url): \(message)"])
            }
            retries += 1
            // A network interface came or went on the host (a container's veth, a VPN) while the request was in
            // flight; Chromium drops it with this error. The site is not at fault: ask again.
        } while navigation["errorText"]?.stringValue == Self.networkChanged && retries <= Self.networkChangedRetries
        let loaderID = navigation["loaderId"]?.stringValue
        let alreadyLoaded = lock.withLock {
            state.loaderID = loaderID
            if let loaderID, state.loadedLoaders.contains(loaderID) { state.loaded = true }
            return state.loaded
        }
        if let errorText = navigation["errorText"]?.stringValue {
            let blocked = lock.withLock { state.blocked } + egressRefusals()
            let reason = blocked.first.map { "blocked: \($0)" } ?? "the page did not load: \(errorText)"
            return TabLoad(page: nil, errors: [reason] + blocked.dropFirst().map { "blocked: \($0)" })
        }
        var timedOut = false
        if !alreadyLoaded {
            timedOut = await waitForLoad(timeout: timeout)
        }
        let html: String
        do {
            html = try await documentMarkup()
        } catch CDPError.protocolError(let code, let message) {
            let error = "DevTools error \(code): \(message)"
            // The page navigated itself (a script or meta refresh) while being read: it is the page it left.
            let blocked = lock.withLock { state.blocked } + egressRefusals()
            return TabLoad(
                page: nil, errors: ["the page navigated away before it could be read: \(error)"] + blocked.map { "blocked: \($0)" })
        }
        let snapshot = lock.withLock { state }
        var errors = (snapshot.blocked + egressRefusals()).map { "blocked: \($0)" }
        if timedOut { errors.append("the page did not finish loading within \(timeout); checked as it was") }
        let document = snapshot.loaderID.flatMap { snapshot.documents[$0] }
        let page = LoadedPage(
            url: url, finalURL: document?.url ?? url, status: document?.status, headers: document?.headers ?? [:], html: html,
            network: PageNetworkSummary(
                requestCount: snapshot.requests, transferBytes: snapshot.transferBytes,
                failedRequests: snapshot.failedRequests, timeToFirstByteMs: document?.timeToFirstByteMs))
        return TabLoad(page: page, errors: errors, scriptErrors: snapshot.scriptErrors)
    }

    /// The connections the egress proxy refused since the last look, as `host:port: reason`, without the ones the
    /// request gate already reported by URL.
    func egressRefusals() -> [String] {
        guard let egress else { return [] }
        var seen = Set<String>()
        return egress.log.drain().filter(\.blocked).compactMap { attempt in
            seen.insert(attempt.target).inserted ? "\(attempt.target): \(attempt.reason)" : nil
        }
    }

    /// Waits for the main frame's load event; returns whether the timeout came first.
    private func waitForLoad(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let loaded = self.lock.withLock {
                        if self.state.loaded { return true }
                        self.loadWaiter = continuation
                        return false
                    }
                    if loaded { continuation.resume() }
                }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return true
            }
            let first = await group.next() ?? true
            if first { self.releaseLoadWaiter() }
            group.cancelAll()
            await group.waitForAll()
            return first
        }
    }

    private func releaseLoadWaiter() {
        let waiter = lock.withLock {
            defer { loadWaiter = nil }
            return loadWaiter
        }
        waiter?.resume()
    }

    private func documentMarkup() async throws -> String {
        let value = try await evaluate(
            "(() => { const d = document; if (!d.documentElement) return ''; const t = d.doctype; "
                + "return (t ? '<!DOCTYPE ' + t.name + '>\\n' : '') + d.documentElement.outerHTML; })()")
        return value.stringValue ?? ""
    }

    // MARK: Events

    private func handle(_ event: CDPConnection.Event) {
        let params = event.params
        journal.record(event.method, params, mainFrame: frameID)
        switch event.method {
        case "Page.lifecycleEvent":
            guard params["name"]?.stringValue == "load", params["frameId"]?.stringValue == frameID,
                let loader = params["loaderId"]?.stringValue
            else { return }
            let isCurrent = lock.withLock {
                state.loadedLoaders.insert(loader)
                guard state.loaderID == loader else { return false }
                state.loaded = true
                return true
            }
            if isCurrent { releaseLoadWaiter() }
        case "Network.requestWillBeSent":
            lock.withLock { state.requests += 1 }
        case "Network.responseReceived":
            guard params["type"]?.stringValue == "Document" else { return }
            guard params["frameId"]?.stringValue == frameID, let loader = params["loaderId"]?.stringValue else { return }
            let response = params["response"] ?? [:]
            let document = DocumentResponse(
                status: response["status"]?.intValue.map(Int.init), headers: Self.headers(response["headers"]),
                url: response["url"]?.stringValue, timeToFirstByteMs: response["timing"]?["receiveHeadersEnd"]?.doubleValue)
            lock.withLock { state.documents[loader] = document }
        case "Network.loadingFinished":
            let bytes = params["encodedDataLength"]?.doubleValue ?? 0
            lock.withLock { state.transferBytes += Int64(bytes) }
        case "Network.loadingFailed":
            lock.withLock { state.failedRequests += 1 }
        case "Runtime.exceptionThrown":
            let details = params["exceptionDetails"] ?? [:]
            let text = details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "script error"
            lock.withLock { state.scriptErrors.append(text) }
        case "Runtime.consoleAPICalled":
            guard params["type"]?.stringValue == "error" else { return }
            let text = (params["args"]?.arrayValue ?? []).map { argument in
                argument["value"]?.stringValue ?? argument["description"]?.stringValue ?? ""
            }.joined(separator: " ")
            lock.withLock { state.scriptErrors.append("console.error: \(text)") }
        case "Fetch.requestPaused":
            guard let requestID = params["requestId"]?.stringValue, let url = params["request"]?["url"]?.stringValue else {
                return
            }
            let isDocument = params["resourceType"]?.stringValue == "Document" && params["frameId"]?.stringValue == frameID
            Task { await self.answer(requestID: requestID, url: url, isDocument: isDocument) }
        default:
            break
        }
    }

    private func answer(requestID: String, url: String, isDocument: Bool) async {
        let decision = await gate?.decide(url, isDocument: isDocument) ?? .allow
        switch decision {
        case .allow:
            _ = try? await send("Fetch.continueRequest", ["requestId": .string(requestID)])
        case .block(let reason):
            lock.withLock { state.blocked.append("\(url): \(reason)") }
            journal.recordBlocked("\(url): \(reason)")
            _ = try? await send("Fetch.failRequest", ["requestId": .string(requestID), "errorReason": "BlockedByClient"])
        case .unreachable:
            _ = try? await send("Fetch.failRequest", ["requestId": .string(requestID), "errorReason": "NameNotResolved"])
        }
    }

    /// DevTools gives headers as an object; repeated fields arrive joined by newlines.
    private static func headers(_ value: JSONValue?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in (value?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            for line in (value.stringValue ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
                headers.add(name, String(line))
            }
        }
        return headers
    }

    // MARK: Scripts and screenshots

    func evaluate(_ expression: String) async throws -> JSONValue {
        let result = try await send(
            "Runtime.evaluate", ["expression": .string(expression), "returnByValue": true, "awaitPromise": true])
        if let details = result["exceptionDetails"] {
            let text = details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "script error"
            throw BrowserScriptError(message: text)
        }
        return result["result"]?["value"] ?? .null
    }

    func screenshot(maxHeight: Int) async throws -> Screenshot {
        let metrics = try await send("Page.getLayoutMetrics")
        let content = metrics["cssContentSize"] ?? metrics["contentSize"] ?? [:]
        let viewport = metrics["cssLayoutViewport"] ?? metrics["layoutViewport"] ?? [:]
        let width = max(1, viewport["clientWidth"]?.doubleValue ?? 1280)
        let height = max(1, min(content["height"]?.doubleValue ?? 800, Double(maxHeight)))
        let shot = try await send(
            "Page.captureScreenshot",
            [
                "format": "png", "captureBeyondViewport": true, "optimizeForSpeed": true,
                "clip": ["x": 0, "y": 0, "width": .double(width), "height": .double(height), "scale": 1],
            ])
        guard let base64 = shot["data"]?.stringValue, let png = Data(base64Encoded: base64) else {
            throw CDPError.protocolError(code: 0, message: "Page.captureScreenshot returned no image")
        }
        return Screenshot(png: png, width: width, height: height)
    }

    func close() async {
        await connection.stopListening(session: session)
        _ = try? await connection.send("Target.disposeBrowserContext", ["browserContextId": .string(contextID)])
        await egress?.close()
    }
}

/// A script run in a page threw.
public struct BrowserScriptError: Error, CustomStringConvertible, Sendable {
    /// The exception as the page reported it.
    public let message: String
    /// The message.
    public var description: String { message }
}
