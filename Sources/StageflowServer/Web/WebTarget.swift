import Foundation

/// What a path names in the web workbench and its event streams, parsed before the API paths.
enum WebTarget: Sendable, Equatable {
    /// `/` (for browsers): the playground.
    case playground
    /// `/scans`: every job.
    case scans
    /// `/scans/{namespace}/{name}`: one job's live status.
    case status(namespace: String, name: String)
    /// `/scans/{namespace}/{name}/report`.
    case report(namespace: String, name: String)
    /// `/scans/{namespace}/{name}/artifacts/{key…}`: an object under the job's artifacts prefix.
    case artifact(namespace: String, name: String, key: String)
    /// `/schedules`: every ScanSchedule with its latest score.
    case schedules
    /// `/schedules/{namespace}/{name}`: one schedule, its runs and their trend.
    case schedule(namespace: String, name: String)
    /// `/schedules/{namespace}/{name}/run` (POST): runs the schedule now.
    case runSchedule(namespace: String, name: String)
    /// `/assets/{file}`: the script and style sheet.
    case asset(String)
    /// `/api/v1/jobs/stream`, `/api/v1/namespaces/{ns}/jobs/stream`, `/api/v1/jobs/{uid}/stream`.
    case stream(ScanJobEventHub.Scope)
    /// `/login`: the sign-in page (a token, or a one-time code from `stageflow up`).
    case login
    /// `/logout`: ends the browser session.
    case logout

    /// The web target of a path, or `nil` for the API's own paths. `/` is the playground only for requests
    /// that accept HTML (kubectl and other clients get the API's root document there).
    init?(path: String, acceptsHTML: Bool) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            String(segment).removingPercentEncoding ?? String(segment)
        }
        switch segments.first {
        case nil:
            guard acceptsHTML else { return nil }
            self = .playground
        case "scans":
            switch segments.count {
            case 1: self = .scans
            case 3: self = .status(namespace: segments[1], name: segments[2])
            case 4 where segments[3] == "report": self = .report(namespace: segments[1], name: segments[2])
            case 5... where segments[3] == "artifacts":
                self = .artifact(namespace: segments[1], name: segments[2], key: segments[4...].joined(separator: "/"))
            default: return nil
            }
        case "schedules":
            switch segments.count {
            case 1: self = .schedules
            case 3: self = .schedule(namespace: segments[1], name: segments[2])
            case 4 where segments[3] == "run": self = .runSchedule(namespace: segments[1], name: segments[2])
            default: return nil
            }
        case "assets" where segments.count == 2:
            self = .asset(segments[1])
        case "login" where segments.count == 1:
            self = .login
        case "logout" where segments.count == 1:
            self = .logout
        case "api":
            switch Array(segments.dropFirst()) {
            case ["v1", "jobs", "stream"]: self = .stream(.all)
            case let rest where rest.count == 4 && rest[0] == "v1" && rest[1] == "jobs" && rest[3] == "stream":
                self = .stream(.job(uid: rest[2]))
            case let rest where rest.count == 5 && rest[0] == "v1" && rest[1] == "namespaces" && rest[3] == "jobs"
                && rest[4] == "stream":
                self = .stream(.namespace(rest[2]))
            default: return nil
            }
        default:
            return nil
        }
    }
}

extension WebTarget {
    /// What the target is, for metrics and audit lines (`web/playground`, `web/report`, …).
    var label: String {
        switch self {
        case .playground: return "web/playground"
        case .scans: return "web/scans"
        case .status: return "web/status"
        case .report: return "web/report"
        case .artifact: return "web/artifacts"
        case .schedules: return "web/schedules"
        case .schedule: return "web/schedule"
        case .runSchedule: return "web/schedule-run"
        case .asset: return "web/assets"
        case .stream: return "web/stream"
        case .login: return "web/login"
        case .logout: return "web/logout"
        }
    }
}
