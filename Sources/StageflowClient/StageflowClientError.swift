import Foundation
import StageflowHTTP

/// A failure talking to the Stageflow API that is not an answer from it: the server could not be reached, or
/// it answered with something that is not the API. Failures the API reports itself are thrown as `APIStatus`.
public struct StageflowClientError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Problem: Sendable, Hashable {
        case unreachable(String)
        case timedOut(String)
        case connectionLost(String)
        case malformedResponse(request: String, problem: String)
        case invalidObject(String)
    }

    /// The server the client talks to.
    public let server: URL
    private let problem: Problem

    private init(server: URL, problem: Problem) {
        self.server = server
        self.problem = problem
    }

    /// Whether the server could not be reached at all (refused, unresolvable, timed out connecting).
    public var isUnreachable: Bool {
        if case .unreachable = problem { return true }
        return false
    }

    /// What went wrong, naming the server.
    public var description: String {
        let base = StageflowClient.displayName(of: server)
        switch problem {
        case .unreachable(let detail):
            return "cannot reach the Stageflow API at \(base): \(detail)"
        case .timedOut(let detail):
            return "the Stageflow API at \(base) did not answer in time: \(detail)"
        case .connectionLost(let detail):
            return "lost the connection to the Stageflow API at \(base): \(detail)"
        case .malformedResponse(let request, let detail):
            return "unexpected response from the Stageflow API at \(base) to \(request): \(detail)"
        case .invalidObject(let detail):
            return detail
        }
    }

    static func transport(_ error: HTTPError, server: URL) -> StageflowClientError {
        switch error.kind {
        case .couldNotConnect, .invalidRequest: return StageflowClientError(server: server, problem: .unreachable(error.message))
        case .timedOut: return StageflowClientError(server: server, problem: .timedOut(error.message))
        default: return StageflowClientError(server: server, problem: .connectionLost(error.message))
        }
    }

    static func malformed(_ request: String, _ problem: String, server: URL) -> StageflowClientError {
        StageflowClientError(server: server, problem: .malformedResponse(request: request, problem: problem))
    }

    static func invalidObject(_ problem: String, server: URL) -> StageflowClientError {
        StageflowClientError(server: server, problem: .invalidObject(problem))
    }
}
