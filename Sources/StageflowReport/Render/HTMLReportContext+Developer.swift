import StageflowAPI

extension HTMLReportContext {
    /// Filters, issues grouped by rule with their elements and evidence, the items that need review, scanners,
    /// errors, artifacts.
    func developerPanel() -> String {
        var html = """
            <section role="tabpanel" id="panel-developer" aria-labelledby="tab-developer" tabindex="0">
            <h2>Developer view</h2>
            <div id="filters" class="filters" hidden>
            <div><label for="filter-severity">Minimum severity</label>
            <select id="filter-severity">
            <option value="0">All severities</option><option value="1">Minor and above</option>
            <option value="2">Moderate and above</option><option value="3">Serious and above</option>
            <option value="4">Critical only</option>
            </select></div>
            <div><label for="filter-text">Search rules, pages and selectors</label><input id="filter-text" type="search"></div>

            """
        if newIds != nil {
            html += "<div><input type=\"checkbox\" id=\"filter-new\"> <label for=\"filter-new\">New since baseline only</label></div>\n"
        }
        html += """
            <p id="filter-count" aria-live="polite"></p>
            </div>
            <h3>Issues by rule</h3>

            """
        if groups.isEmpty { html += "<p>No issues found.</p>\n" }
        for (index, group) in groups.enumerated() { html += ruleSection(group, index: index) }
        html += reviewSection()
        html += scannerTable()
        html += errorList()
        html += fixedList()
        html += artifactTable()
        html += "</section>\n"
        return html
    }

    /// What the scanners could not decide, by rule: not issues, not in the score or the default gate.
    private func reviewSection() -> String {
        var html = "<h3 id=\"needs-review\">Needs review (\(report.needsReview.count))</h3>\n"
        guard !reviewGroups.isEmpty else { return html + "<p>Nothing needs review.</p>\n" }
        html += "<p>The scanners could not decide these (for example, text contrast over an image or a gradient). "
            + "Check them by hand; they do not count in the score or the gate unless <code>--fail-on-review</code> is given.</p>\n"
        for (index, group) in reviewGroups.enumerated() { html += ruleSection(group, index: index, prefix: "review") }
        return html
    }

    private func ruleSection(_ group: RuleGroup, index: Int, prefix: String = "rule") -> String {
        var searchable = [group.title, group.scanner, group.ruleId]
        for issue in group.issues.prefix(50) {
            searchable.append(issue.url)
            if let selector = issue.primarySelector { searchable.append(selector) }
        }
        let hasNew = group.issues.contains(where: isNew)
        let first = group.issues[0]
        var html = "<details class=\"rule\" id=\"\(prefix)-\(index)\" data-rank=\"\(group.severity.rank)\" "
        html += "data-new=\"\(hasNew)\" data-text=\"\(h(searchable.joined(separator: " ").lowercased()))\">\n"
        html += "<summary><span class=\"sev sev-\(group.severity.rawValue)\">\(group.severity.rawValue)</span> "
        html += "<span class=\"rule-title\">\(h(group.title))</span> <code>\(h(group.scanner))/\(h(group.ruleId))</code> · "
        let elements = group.issues.reduce(0) { $0 + $1.occurrences.count }
        html += "\(group.pageCount) \(group.pageCount == 1 ? "page" : "pages"), \(elements) \(elements == 1 ? "element" : "elements")"
        if hasNew { html += " <span class=\"badge badge-new\">new</span>" }
        html += "</summary>\n"
        if let fix = first.howToFix { html += "<p><strong>How to fix:</strong> \(h(fix))</p>\n" }
        if let help = first.helpUrl, let link = TextEscaping.linkTarget(help) {
            html += "<p><a href=\"\(h(link))\" rel=\"noopener noreferrer\">Rule documentation</a></p>\n"
        }
        html += standardsLine(first.standards)
        if !first.wcagTags.isEmpty {
            html += "<p>Tags: " + first.wcagTags.map { "<span class=\"badge\">\(h($0))</span>" }.joined(separator: " ") + "</p>\n"
        }
        html += "<ol class=\"occurrences\">\n"
        var crops = 0
        for issue in group.issues.prefix(options.maxOccurrencesPerRule) {
            html += "<li id=\"issue-\(h(issue.id))\"><p>"
            html += contentPageIds.contains(issue.pageId) ? "<a href=\"#page-\(h(issue.pageId))\">\(h(issue.url))</a> " : "\(h(issue.url)) "
            html += "<span class=\"badge\">id \(h(issue.id))</span> <span class=\"sev sev-\(issue.severity.rawValue)\">\(issue.severity.rawValue)</span>"
            if isNew(issue) { html += " <span class=\"badge badge-new\">new</span>" }
            if !issue.alsoDetectedBy.isEmpty {
                html += " <span class=\"muted\">also detected by \(h(issue.alsoDetectedBy.joined(separator: ", ")))</span>"
            }
            html += "</p>\n"
            if !issue.message.isEmpty { html += "<p>\(h(issue.message))</p>\n" }
            if issue.occurrences.count > 1 { html += "<p class=\"muted\">\(issue.occurrences.count) elements on this page:</p>\n" }
            for occurrence in issue.occurrences.prefix(5) {
                if let selector = occurrence.selector {
                    html += "<p>Selector: <code>\(h(selector))</code> <span class=\"badge\">id \(h(occurrence.id))</span></p>\n"
                }
                if let snippet = occurrence.html { html += "<pre><code>\(h(TextEscaping.truncated(snippet, to: 2000)))</code></pre>\n" }
                if crops < options.maxEvidenceCropsPerRule, let box = occurrence.boundingBox,
                    let crop = crop(box, page: issue.pageId, severity: issue.severity, label: "Evidence: \(occurrence.selector ?? issue.title) on \(issue.url)")
                {
                    html += crop + "\n"
                    crops += 1
                }
            }
            if issue.occurrences.count > 5 {
                html += "<p class=\"muted\">…and \(issue.occurrences.count - 5) more elements in report.json.</p>\n"
            }
            html += "</li>\n"
        }
        html += "</ol>\n"
        if group.issues.count > options.maxOccurrencesPerRule {
            html += "<p class=\"muted\">…and \(group.issues.count - options.maxOccurrencesPerRule) more issues of this rule in report.json.</p>\n"
        }
        html += "</details>\n"
        return html
    }

    /// The standards a rule checks, as linked badges.
    func standardsLine(_ standards: [StandardReference]) -> String {
        guard !standards.isEmpty else { return "" }
        let badges = standards.map { reference -> String in
            let label = "<span class=\"badge badge-standard\">\(h(reference.label))</span>"
            guard let url = reference.url, let link = TextEscaping.linkTarget(url) else { return label }
            return "<a href=\"\(h(link))\" rel=\"noopener noreferrer\">\(label)</a>"
        }
        return "<p>Standards: " + badges.joined(separator: " ") + "</p>\n"
    }

    private func scannerTable() -> String {
        var html = """
            <h3>Scanners</h3>
            <table>
            <thead><tr><th scope="col">Scanner</th><th scope="col">Status</th><th scope="col">Tool</th>\
            <th scope="col" class="num">Findings</th><th scope="col" class="num">Issues</th><th scope="col" class="num">Needs review</th>\
            <th scope="col" class="num">Pages</th>\
            <th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
            <tbody>

            """
        for scanner in report.scanners {
            html += "<tr><th scope=\"row\"><code>\(h(scanner.id))</code></th><td>\(scanner.status.rawValue)</td>"
            html += "<td>\(h(scanner.toolVersion ?? ""))</td><td class=\"num\">\(scanner.findings)</td>"
            html += "<td class=\"num\">\(scanner.issues)</td><td class=\"num\">\(scanner.needsReview)</td><td class=\"num\">\(scanner.pagesScanned)</td>"
            html += "<td>\(scanner.timings?.durationMs.map(formatDuration) ?? "")</td><td>\(h(scanner.error ?? ""))</td></tr>\n"
        }
        html += "</tbody>\n</table>\n"
        return html
    }

    private func errorList() -> String {
        guard !report.errors.isEmpty else { return "" }
        var html = "<h3>Errors</h3>\n<ul>\n"
        for error in report.errors.prefix(500) {
            html += "<li><code>\(h(error.scanner ?? "scan"))</code>"
            if let url = error.url { html += " on \(h(url))" }
            html += ": \(h(error.message))</li>\n"
        }
        if report.errors.count > 500 { html += "<li>…and \(report.errors.count - 500) more in report.json.</li>\n" }
        return html + "</ul>\n"
    }

    private func fixedList() -> String {
        guard let diff = report.diff, !diff.fixed.isEmpty else { return "" }
        var html = "<h3>Fixed since baseline</h3>\n<ul>\n"
        for fixed in diff.fixed.prefix(options.maxOccurrencesPerRule) {
            html += "<li><span class=\"sev sev-\(fixed.severity.rawValue)\">\(fixed.severity.rawValue)</span> \(h(fixed.title)) "
            html += "<code>\(h(fixed.scanner))/\(h(fixed.ruleId))</code> on \(h(fixed.url))"
            if let selector = fixed.selector { html += " at <code>\(h(selector))</code>" }
            html += " <span class=\"badge\">id \(h(fixed.id))</span></li>\n"
        }
        return html + "</ul>\n"
    }

    private func artifactTable() -> String {
        var html = "<h3>Artifacts</h3>\n"
        guard !report.artifacts.isEmpty else { return html + "<p>No artifacts listed.</p>\n" }
        html += """
            <table>
            <thead><tr><th scope="col">Object</th><th scope="col">Kind</th><th scope="col">Scanner</th><th scope="col" class="num">Size</th></tr></thead>
            <tbody>

            """
        for artifact in report.artifacts {
            var name = "<code>\(h(artifact.key))</code>"
            if let url = artifact.url, let link = TextEscaping.cssURL(url) {
                name = "<a href=\"\(h(link))\" rel=\"noopener noreferrer\">\(name)</a>"
            }
            html += "<tr><td>\(name)</td><td>\(h(artifact.kind))</td><td>\(h(artifact.scanner ?? ""))</td>"
            html += "<td class=\"num\">\(artifact.sizeBytes.map(formatBytes) ?? "")</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private func formatBytes(_ bytes: Int64) -> String {
        if bytes >= 1 << 20 { return "\(bytes / (1 << 20)) MiB" }
        if bytes >= 1 << 10 { return "\(bytes / (1 << 10)) KiB" }
        return "\(bytes) B"
    }
}
