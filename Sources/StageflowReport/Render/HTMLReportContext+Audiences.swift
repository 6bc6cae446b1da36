import StageflowAPI

extension HTMLReportContext {
    /// Page by page, in plain language, over the annotated screenshot.
    func contentPanel() -> String {
        var html = """
            <section role="tabpanel" id="panel-content" aria-labelledby="tab-content" tabindex="0">
            <h2>Content and design view</h2>
            <p>What visitors meet on each page, grouped into images, text, links and forms. The numbers on each \
            screenshot match the numbered list below it.</p>

            """
        let shown = contentPages
        for page in shown { html += pageSection(page) }
        if shown.isEmpty { html += "<p>No pages were scanned.</p>\n" }
        if report.pages.count > shown.count {
            html += "<p class=\"muted\">\(report.pages.count - shown.count) more pages are listed in report.json.</p>\n"
        }
        html += "</section>\n"
        return html
    }

    private func pageSection(_ page: PageReport) -> String {
        let issues = Array((issuesByPage[page.id] ?? []).prefix(options.maxIssuesPerPage))
        var html = "<section id=\"page-\(h(page.id))\" aria-labelledby=\"page-\(h(page.id))-heading\">\n"
        html += "<h3 id=\"page-\(h(page.id))-heading\">\(h(page.title.flatMap { $0.isEmpty ? nil : $0 } ?? page.url))</h3>\n"
        var facts: [String] = []
        if let link = TextEscaping.linkTarget(page.url) {
            facts.append("<a href=\"\(h(link))\" rel=\"noopener noreferrer\">\(h(page.url))</a>")
        } else {
            facts.append(h(page.url))
        }
        if let status = page.httpStatus { facts.append("HTTP \(status)") }
        facts.append("\(page.issueCount) \(page.issueCount == 1 ? "issue" : "issues")")
        if page.needsReviewCount > 0 { facts.append("\(page.needsReviewCount) to review") }
        if let performance = page.performanceScore { facts.append("performance \(score(performance))") }
        html += "<p class=\"meta\">\(facts.joined(separator: " · "))</p>\n"
        guard !issues.isEmpty else { return html + "<p>No issues found on this page.</p>\n</section>\n" }
        html += annotatedScreenshot(page, numbered: issues)

        var byTopic: [ContentTopic: [(number: Int, issue: Issue)]] = [:]
        for (index, issue) in issues.enumerated() { byTopic[ContentTopic(issue), default: []].append((index + 1, issue)) }
        for topic in ContentTopic.allCases {
            guard let entries = byTopic[topic] else { continue }
            html += "<h4>\(topic.title) (\(entries.count))</h4>\n<ol>\n"
            for (number, issue) in entries {
                html += "<li value=\"\(number)\"><span class=\"sev sev-\(issue.severity.rawValue)\">\(issue.severity.rawValue)</span> "
                html += "<strong>\(h(issue.title))</strong>"
                if !issue.message.isEmpty, issue.message != issue.title { html += ": \(h(TextEscaping.truncated(issue.message, to: 300)))" }
                if let fix = issue.howToFix { html += " <span class=\"muted\">To fix: \(h(TextEscaping.truncated(fix, to: 300)))</span>" }
                html += "</li>\n"
            }
            html += "</ol>\n"
        }
        if page.issueCount > issues.count {
            html += "<p class=\"muted\">…and \(page.issueCount - issues.count) more issues on this page in report.json.</p>\n"
        }
        return html + "</section>\n"
    }

    /// Score, category scores, trend, the rules that cost the most points, and coverage.
    func executivePanel() -> String {
        let summary = report.summary
        let counts = Severity.allCases.filter { summary.bySeverity[$0] > 0 }.map { "\(summary.bySeverity[$0]) \($0.rawValue)" }
        let headline: String
        if let value = summary.score {
            headline = "The site scores <strong>\(score(value)) out of 100 (grade \(h(summary.grade ?? ReportScore.grade(for: value))))</strong>"
                + (summary.partial ? ", a partial score" : "") + "."
        } else {
            headline = "<strong>This scan has no score</strong>: \(h(summary.scoreNote ?? "no scanner completed"))"
        }
        var html = """
            <section role="tabpanel" id="panel-executive" aria-labelledby="tab-executive" tabindex="0">
            <h2>Executive summary</h2>
            <p>\(headline) \
            \(summary.totalIssues) \(summary.totalIssues == 1 ? "issue was" : "issues were") found on \(summary.pagesWithIssues) \
            of \(summary.pagesScanned) pages\(counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")); \(summary.needsReview) \
            \(summary.needsReview == 1 ? "item needs" : "items need") review.</p>

            """
        let scored = summary.categories.map { category -> String in
            guard let value = category.score else { return "\(h(category.title)) no score" }
            return "\(h(category.title)) \(score(value))"
        }
        if !scored.isEmpty { html += "<p>By category: \(scored.joined(separator: " · ")).</p>\n" }
        html += "<h3>Trend</h3>\n"
        if let diff = report.diff {
            var trend = "Compared with the baseline scan <code>\(h(diff.baselineJobId))</code>"
            if let before = diff.baselineScore, let now = summary.score {
                let change = now - before
                let direction = change > 0.05 ? "up \(score(change)) points" : change < -0.05 ? "down \(score(-change)) points" : "unchanged"
                trend += " (score \(score(before)), grade \(h(diff.baselineGrade ?? "?")))"
                trend += ", the score is \(direction)"
            }
            trend += ": \(diff.counts.newIssues) \(diff.counts.newIssues == 1 ? "issue" : "issues") with new elements "
            trend += "(\(diff.counts.new) new \(diff.counts.new == 1 ? "element" : "elements")), \(diff.counts.fixed) fixed, \(diff.counts.unchanged) unchanged"
            if diff.counts.unverified > 0 { trend += ", \(diff.counts.unverified) not re-checked this time" }
            html += "<p>\(trend).</p>\n"
        } else {
            html += "<p>No baseline to compare with: this scan is the starting point.</p>\n"
        }

        html += "<h3>What costs the most points</h3>\n"
        let risks = summary.topRules.prefix(options.topRisks)
        if risks.isEmpty {
            html += "<p>\(summary.score == nil ? "No score, so nothing to rank." : "Nothing: every rule checked passed.")</p>\n"
        } else {
            html += "<ol>\n"
            for risk in risks {
                html += "<li><strong>\(h(risk.title))</strong> (\(h(risk.category.title)), <code>\(h(risk.scanner))/\(h(risk.ruleId))</code>): "
                html += "−\(points(risk.points)) points of the overall score; fails on \(risk.pagesFailing) of \(risk.pagesChecked) "
                html += "\(risk.pagesChecked == 1 ? "page" : "pages").</li>\n"
            }
            html += "</ol>\n"
        }

        html += "<h3>Coverage</h3>\n"
        let byStatus = ScannerRunStatus.allCases.compactMap { status -> String? in
            let count = report.scanners.filter { $0.status == status }.count
            return count > 0 ? "\(count) \(status.rawValue)" : nil
        }
        html += "<p>\(report.scanners.count) \(report.scanners.count == 1 ? "scanner" : "scanners") (\(byStatus.joined(separator: ", "))) "
        html += "checked \(summary.pagesScanned) \(summary.pagesScanned == 1 ? "page" : "pages").</p>\n"
        html += statusNotice()
        html += "</section>\n"
        return html
    }
}

/// The plain-language topics of the content and design view.
enum ContentTopic: CaseIterable {
    case images, text, links, forms, other

    var title: String {
        switch self {
        case .images: return "Images and media"
        case .text: return "Text, headings and page information"
        case .links: return "Links and navigation"
        case .forms: return "Forms and controls"
        case .other: return "Other"
        }
    }

    init(_ issue: Issue) {
        let rule = (issue.canonicalRule ?? issue.ruleId).lowercased()
        func has(_ words: [String]) -> Bool { words.contains { rule.contains($0) } }
        if has(["image", "img", "alt", "svg", "video", "audio", "media", "object", "og-image"]) {
            self = .images
        } else if has(["link", "href", "anchor", "redirect", "broken", "bypass", "skip", "nav"]) {
            self = .links
        } else if has(["label", "button", "input", "select", "form", "autocomplete", "aria-input", "field"]) {
            self = .forms
        } else if has(["heading", "contrast", "title", "lang", "text", "font", "description", "og-", "h1", "list", "viewport"]) {
            self = .text
        } else {
            self = .other
        }
    }
}
