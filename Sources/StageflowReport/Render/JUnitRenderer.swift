import StageflowAPI

/// Renders a report as JUnit XML, for CI test tabs.
///
/// One `testsuite` per scanner and in it one `testcase` per page of the report (`classname` the scanner,
/// `name` the page URL). A test case has:
/// - `error` when the scanner failed, or reported an error on that page;
/// - `failure` listing the page's issues from that scanner at or above `failureThreshold`;
/// - `skipped` when the scanner was skipped, or completed without visiting the page;
/// - otherwise it passes. Issues below the threshold are listed in `system-out`.
/// A scanner with no pages to show gets one test case named after the scanner. Each item that needs review
/// (one rule on one page) is a test case of its own, `skipped` with the reason, so CI shows it without failing.
public struct JUnitRenderer: Sendable {
    /// Issues at or above this severity fail their test case.
    public var failureThreshold: Severity

    /// A renderer.
    public init(failureThreshold: Severity = .serious) {
        self.failureThreshold = failureThreshold
    }

    /// The JUnit XML document.
    public func render(_ report: Report) -> String {
        var issuesByCase: [String: [Issue]] = [:]
        for issue in report.issues { issuesByCase[issue.scanner + "\n" + issue.pageId, default: []].append(issue) }
        var reviewsByScanner: [String: [Issue]] = [:]
        for review in report.needsReview { reviewsByScanner[review.scanner, default: []].append(review) }
        var pageErrors: [String: [String]] = [:]
        for error in report.errors where error.kind == .page {
            pageErrors[(error.scanner ?? "") + "\n" + (error.pageId ?? ""), default: []].append(error.message)
        }

        var suites: [String] = []
        var totals = Counts()
        for scanner in report.scanners {
            var counts = Counts()
            var cases: [String] = []
            let pages = report.pages.isEmpty ? [nil] : report.pages.map { Optional($0) }
            for page in pages {
                let key = scanner.id + "\n" + (page?.id ?? "")
                let issues = issuesByCase[key] ?? []
                let failing = issues.filter { $0.severity >= failureThreshold }
                let passing = issues.filter { $0.severity < failureThreshold }
                var body = ""
                counts.tests += 1
                if scanner.status == .failed {
                    counts.errors += 1
                    body += element("error", message: "scanner \(scanner.id) failed", type: "scanner-failed", text: scanner.error ?? "")
                } else if let errors = pageErrors[key], !errors.isEmpty {
                    counts.errors += 1
                    body += element("error", message: "\(scanner.id) could not scan this page", type: "page-error", text: errors.joined(separator: "\n"))
                } else if !failing.isEmpty {
                    counts.failures += 1
                    body += element(
                        "failure",
                        message: "\(failing.count) \(failing.count == 1 ? "issue" : "issues") at or above \(failureThreshold.rawValue)",
                        type: failing[0].severity.rawValue, text: failing.map(describe).joined(separator: "\n")
                    )
                } else if scanner.status == .skipped {
                    counts.skipped += 1
                    body += "<skipped message=\"\(TextEscaping.xml("scanner \(scanner.id) skipped: \(scanner.error ?? "not run")", attribute: true))\"/>"
                } else if let page, !page.scanners.contains(scanner.id) {
                    counts.skipped += 1
                    body += "<skipped message=\"\(TextEscaping.xml("not visited by \(scanner.id)", attribute: true))\"/>"
                }
                let belowThreshold = scanner.status == .failed || pageErrors[key] != nil ? issues : passing
                if !belowThreshold.isEmpty {
                    body += "<system-out>\(TextEscaping.xml(belowThreshold.map(describe).joined(separator: "\n")))</system-out>"
                }
                let name = page?.url ?? scanner.id
                let open = "<testcase classname=\"\(TextEscaping.xml(scanner.id, attribute: true))\" name=\"\(TextEscaping.xml(name, attribute: true))\""
                cases.append(body.isEmpty ? "    \(open)/>" : "    \(open)>\(body)</testcase>")
            }
            for review in reviewsByScanner[scanner.id] ?? [] {
                counts.tests += 1
                counts.skipped += 1
                let name = "needs review: \(review.ruleId) on \(review.url)"
                var body = "<skipped message=\"\(TextEscaping.xml("needs review: \(review.title)", attribute: true))\"/>"
                body += "<system-out>\(TextEscaping.xml(describe(review)))</system-out>"
                cases.append(
                    "    <testcase classname=\"\(TextEscaping.xml(scanner.id, attribute: true))\" name=\"\(TextEscaping.xml(name, attribute: true))\">\(body)</testcase>")
            }
            totals.add(counts)
            var suite = "  <testsuite name=\"\(TextEscaping.xml(scanner.id, attribute: true))\" tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\""
            if let duration = scanner.timings?.durationMs { suite += " time=\"\(seconds(duration))\"" }
            if let started = scanner.timings?.startedAt { suite += " timestamp=\"\(TextEscaping.xml(started, attribute: true))\"" }
            suite += ">\n    <properties>\n"
            suite += "      <property name=\"status\" value=\"\(scanner.status.rawValue)\"/>\n"
            if let version = scanner.toolVersion {
                suite += "      <property name=\"toolVersion\" value=\"\(TextEscaping.xml(version, attribute: true))\"/>\n"
            }
            suite += "    </properties>\n" + cases.joined(separator: "\n") + "\n  </testsuite>"
            suites.append(suite)
        }

        var document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        document += "<testsuites name=\"\(TextEscaping.xml("Stageflow scan of \(report.meta.baseUrl)", attribute: true))\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" errors=\"\(totals.errors)\" skipped=\"\(totals.skipped)\" time=\"\(seconds(report.meta.durationMs))\">\n"
        document += suites.joined(separator: "\n")
        document += suites.isEmpty ? "</testsuites>\n" : "\n</testsuites>\n"
        return document
    }

    private func element(_ name: String, message: String, type: String, text: String) -> String {
        "<\(name) message=\"\(TextEscaping.xml(message, attribute: true))\" type=\"\(TextEscaping.xml(type, attribute: true))\">\(TextEscaping.xml(text))</\(name)>"
    }

    private func describe(_ issue: Issue) -> String {
        var line = "[\(issue.severity.rawValue)] \(issue.ruleId): \(issue.title)"
        if let selector = issue.primarySelector { line += " at \(selector)" }
        if issue.occurrences.count > 1 { line += " and \(issue.occurrences.count - 1) more elements" }
        line += " (\(issue.id))"
        if !issue.message.isEmpty { line += "\n    \(issue.message)" }
        if !issue.standards.isEmpty { line += "\n    standards: \(issue.standards.map(\.label).joined(separator: "; "))" }
        if !issue.alsoDetectedBy.isEmpty { line += "\n    also detected by \(issue.alsoDetectedBy.joined(separator: ", "))" }
        return line
    }

    private func seconds(_ value: Int64) -> String {
        let milliseconds = max(0, value)
        let whole = milliseconds / 1000
        let fraction = milliseconds % 1000
        return "\(whole).\(String(repeating: "0", count: 3 - String(fraction).count))\(fraction)"
    }

    private struct Counts {
        var tests = 0
        var failures = 0
        var errors = 0
        var skipped = 0

        mutating func add(_ other: Counts) {
            tests += other.tests
            failures += other.failures
            errors += other.errors
            skipped += other.skipped
        }
    }
}
