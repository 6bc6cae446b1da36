/// The original job API under `/api/v1`: thin adapters over ScanJobs, addressed by the job's uid.
enum JobAPIRoute: Sendable, Equatable {
    /// `POST /api/v1/jobs/urls`.
    case createURLs
    /// `POST /api/v1/jobs/zip`.
    case createArchive
    /// `GET /api/v1/jobs/{id}`.
    case job(id: String)
    /// `GET /api/v1/jobs/{id}/results`.
    case results(id: String)
    /// `GET /api/v1/jobs/{id}/report`.
    case report(id: String)
    /// `GET /api/v1/jobs/{id}/diff`.
    case diff(id: String)
    /// `GET /api/v1/jobs/{id}/artifacts/{path…}`: what signed links point at.
    case artifact(id: String, path: String)
    /// `GET /api/v1/scanners`.
    case scanners

    /// The route of the segments after `/api/v1`, or `nil`.
    init?(_ parts: ArraySlice<String>) {
        let parts = Array(parts)
        switch parts.count {
        case 1 where parts[0] == "scanners": self = .scanners
        case 2 where parts[0] == "jobs" && parts[1] == "urls": self = .createURLs
        case 2 where parts[0] == "jobs" && parts[1] == "zip": self = .createArchive
        case 2 where parts[0] == "jobs": self = .job(id: parts[1])
        case 3 where parts[0] == "jobs" && parts[2] == "results": self = .results(id: parts[1])
        case 3 where parts[0] == "jobs" && parts[2] == "report": self = .report(id: parts[1])
        case 3 where parts[0] == "jobs" && parts[2] == "diff": self = .diff(id: parts[1])
        case 4... where parts[0] == "jobs" && parts[2] == "artifacts":
            self = .artifact(id: parts[1], path: parts.dropFirst(3).joined(separator: "/"))
        default: return nil
        }
    }

    /// Whether the route creates a job (and so counts against the creation rate limit).
    var createsJob: Bool { self == .createURLs || self == .createArchive }

    /// For metrics and logs.
    var label: String {
        switch self {
        case .createURLs: return "jobs/urls"
        case .createArchive: return "jobs/zip"
        case .job: return "jobs"
        case .results: return "jobs/results"
        case .report: return "jobs/report"
        case .diff: return "jobs/diff"
        case .artifact: return "jobs/artifacts"
        case .scanners: return "scanners"
        }
    }
}
