/// The outcome of one `stageflow doctor` check: one line, with the fix when something is wrong.
struct DoctorFinding: Sendable {
    /// How the check came out.
    enum Status: String, Sendable {
        /// Present and working.
        case ok
        /// Missing or broken: scans that need it fail.
        case fail
        /// Not needed with these settings (the Podman socket under the process runtime, say).
        case skip
    }

    /// How the check came out.
    var status: Status
    /// What was checked (`chromium`, `database`).
    var check: String
    /// What was found, or what went wrong.
    var detail: String
    /// What to do about a failure.
    var fix: String?

    static func ok(_ check: String, _ detail: String) -> DoctorFinding {
        DoctorFinding(status: .ok, check: check, detail: detail)
    }

    static func fail(_ check: String, _ detail: String, fix: String) -> DoctorFinding {
        DoctorFinding(status: .fail, check: check, detail: detail, fix: fix)
    }

    static func skip(_ check: String, _ detail: String) -> DoctorFinding {
        DoctorFinding(status: .skip, check: check, detail: detail)
    }

    /// `ok    chromium      /usr/bin/chromium (Chromium 131.0)`; a failure reads `FAIL` and ends ` — fix: …`.
    var line: String {
        let label = status == .fail ? "FAIL" : status.rawValue
        let padded = label.padding(toLength: 6, withPad: " ", startingAt: 0)
        let name = check.padding(toLength: 14, withPad: " ", startingAt: 0)
        return "\(padded)\(name)\(detail)" + (fix.map { " — fix: \($0)" } ?? "")
    }
}
