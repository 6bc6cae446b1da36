import Foundation
import StageflowAPI

/// What a `CDPTab` saw between a journey's looks at the page, from the DevTools events of its session: main-frame
/// loads started and finished (to know when an action's navigation is over), same-document navigations, script
/// errors, failed requests and refusals. `load(_:timeout:)` keeps its own per-load record; this one spans loads.
final class TabJournal: @unchecked Sendable {
    private let lock = NSLock()
    private var loadsStarted = 0
    private var loadsStopped = 0
    private var sameDocument = 0
    private var requestURLs: [String: String] = [:]
    private var scriptErrors: [String] = []
    private var failedRequests: [String] = []
    private var blocked: [String] = []

    /// At most this many messages of each kind are kept between drains (a page logging in a loop must not grow
    /// memory without bound).
    static let limit = 200

    /// Notes one event of the tab's session; `mainFrame` is the page's own frame id.
    func record(_ method: String, _ params: JSONValue, mainFrame: String) {
        lock.withLock {
            switch method {
            case "Page.frameStartedLoading":
                if params["frameId"]?.stringValue == mainFrame { loadsStarted += 1 }
            case "Page.frameStoppedLoading":
                if params["frameId"]?.stringValue == mainFrame { loadsStopped += 1 }
            case "Page.navigatedWithinDocument":
                if params["frameId"]?.stringValue == mainFrame { sameDocument += 1 }
            case "Network.requestWillBeSent":
                // The browser asks for /favicon.ico by itself, once per browser rather than per page: not the page's request.
                if let id = params["requestId"]?.stringValue, let url = params["request"]?["url"]?.stringValue,
                    URLComponents(string: url)?.path != "/favicon.ico"
                {
                    if requestURLs.count > 2000 { requestURLs.removeAll() }
                    requestURLs[id] = url
                }
            case "Network.responseReceived":
                if let status = params["response"]?["status"]?.intValue, status >= 400,
                    let id = params["requestId"]?.stringValue, requestURLs[id] != nil, let url = params["response"]?["url"]?.stringValue
                {
                    append(&failedRequests, "\(url): HTTP \(status)")
                }
            case "Network.loadingFailed":
                guard let id = params["requestId"]?.stringValue, let url = requestURLs[id] else { break }
                let text = params["errorText"]?.stringValue ?? "failed"
                // A request the gate refused is reported as blocked, with the gate's reason; an aborted one was
                // cancelled by the page or a navigation, which is no failure.
                if params["blockedReason"] != nil || text.contains("ERR_BLOCKED_BY_CLIENT") || text.contains("ERR_ABORTED") { break }
                append(&failedRequests, "\(url): \(text)")
            case "Runtime.exceptionThrown":
                let details = params["exceptionDetails"] ?? [:]
                append(&scriptErrors, details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "script error")
            case "Runtime.consoleAPICalled":
                guard params["type"]?.stringValue == "error" else { break }
                let text = (params["args"]?.arrayValue ?? []).map { $0["value"]?.stringValue ?? $0["description"]?.stringValue ?? "" }
                append(&scriptErrors, "console.error: " + text.joined(separator: " "))
            default:
                break
            }
        }
    }

    /// Notes a request the gate refused.
    func recordBlocked(_ description: String) {
        lock.withLock { append(&blocked, description) }
    }

    private func append(_ list: inout [String], _ message: String) {
        if list.count < Self.limit { list.append(String(message.prefix(500))) }
    }

    /// The counters now.
    var mark: TabMark {
        lock.withLock { TabMark(loadsStarted: loadsStarted, sameDocumentNavigations: sameDocument) }
    }

    /// Whether every main-frame load started so far has stopped.
    var isIdle: Bool { lock.withLock { loadsStopped >= loadsStarted } }

    /// Main-frame loads started so far.
    var started: Int { lock.withLock { loadsStarted } }

    /// Everything recorded since the last drain, and forgets it.
    func drain(adding refusals: [String]) -> TabActivity {
        lock.withLock {
            defer {
                scriptErrors = []
                failedRequests = []
                blocked = []
            }
            return TabActivity(scriptErrors: scriptErrors, failedRequests: failedRequests, blocked: blocked + refusals)
        }
    }
}
