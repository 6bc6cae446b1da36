import Foundation

/// The vision agent's journeys in the HTML report, each as a filmstrip: the goal and how it ended (reached, or the
/// reason and step it stopped at, and whose fault that is), the totals of steps, tokens, cost and time, then every
/// step's annotated screenshot with the chosen element outlined, the model's thought, the action and its effect, and
/// what went wrong on the page during it.
struct JourneyFilmstrip {
    let journeys: [JourneyRecord]
    let options: HTMLReportRenderer.Options

    /// The section, or nothing when the report has no journey.
    func html() -> String {
        guard !journeys.isEmpty else { return "" }
        var html = """
            <section class="journeys" aria-labelledby="journeys-title">
            <style>
            .journeys .filmstrip{display:flex;gap:1rem;overflow-x:auto;list-style:none;padding:0 0 .5rem;margin:0}
            .journeys .frame{flex:0 0 22rem;border:1px solid #ccd;border-radius:6px;padding:.5rem;background:#fff}
            .journeys .frame-shot{position:relative;width:100%}
            .journeys .frame-shot img{display:block;width:100%;height:auto}
            .journeys .frame-target{position:absolute;outline:3px solid #d00;outline-offset:1px;box-shadow:0 0 0 9999px rgba(0,0,0,.18)}
            .journeys .outcome-reached{color:#0a6b2d}
            .journeys .outcome-stopped{color:#a4000f}
            .journeys .thought{font-style:italic}
            .journeys figcaption p{margin:.3rem 0}
            </style>
            <h2 id="journeys-title">Journeys</h2>

            """
        for journey in journeys { html += article(journey) }
        html += "</section>\n"
        return html
    }

    private func article(_ journey: JourneyRecord) -> String {
        let outcome = journey.outcome
        let status =
            outcome.reached
            ? "<p class=\"outcome-reached\"><strong>Goal reached</strong>"
            : "<p class=\"outcome-stopped\"><strong>Not reached: \(h(outcome.reason.rawValue))</strong> (\(h(faultText(outcome.fault))))"
        let step = outcome.step.map { " at step \($0)" } ?? ""
        let totals = journey.totals
        var meta = [
            "\(totals.steps) \(totals.steps == 1 ? "step" : "steps")",
            "\(totals.promptTokens) prompt + \(totals.completionTokens) completion tokens in \(totals.modelRequests) model requests",
            String(format: "US$%.4f", totals.costUSD),
            "\(formatDuration(totals.durationMs)) (model \(formatDuration(totals.modelMs)))",
        ]
        if let model = journey.model { meta.append("model \(h(model))") }
        if journey.attempt > 1 { meta.append("attempt \(journey.attempt), started over after an interruption") }
        var html = """
            <article class="journey">
            <h3>\(h(journey.scanner)): \(h(journey.goal))</h3>
            \(status)\(h(step)): \(h(outcome.message))</p>
            <p class="meta">From <a href="\(h(safeLink(journey.startURL)))">\(h(journey.startURL))</a> · \(meta.joined(separator: " · "))</p>
            <ol class="filmstrip" aria-label="Steps of the journey">

            """
        for step in journey.steps { html += frame(step) }
        html += "</ol>\n</article>\n"
        return html
    }

    private func frame(_ step: JourneyStepRecord) -> String {
        var html = "<li class=\"frame\"><figure>"
        if let shot = step.screenshot, let source = imageSource(shot.key) {
            var target = ""
            if let box = step.target?.box, let width = shot.width, let height = shot.height, width > 0, height > 0 {
                target =
                    "<span class=\"frame-target\" aria-hidden=\"true\" style=\"left:\(css(box.x / width * 100))%;top:\(css(box.y / height * 100))%;"
                    + "width:\(css(box.width / width * 100))%;height:\(css(box.height / height * 100))%\"></span>"
            }
            let alt = "Step \(step.index): \(step.title ?? step.url), interactive elements numbered"
            html += "<div class=\"frame-shot\"><img src=\"\(h(source))\" alt=\"\(h(alt))\">\(target)</div>"
        } else {
            html += "<p class=\"muted\">No screenshot of this step.</p>"
        }
        html += "<figcaption>"
        html += "<p><strong>Step \(step.index)</strong> · <a href=\"\(h(safeLink(step.url)))\">\(h(step.title?.isEmpty == false ? step.title! : step.url))</a></p>"
        if let thought = step.thought, !thought.isEmpty { html += "<p class=\"thought\">“\(h(thought))”</p>" }
        var action = "<code>\(h(step.action.label))</code>"
        if let target = step.target { action += " on <code>\(h(target.locator))</code>" }
        html += "<p>\(action) → \(h(step.effect))</p>"
        for (label, items) in [("Script errors", step.scriptErrors), ("Failed requests", step.failedRequests), ("Blocked", step.blocked)] {
            guard let items, !items.isEmpty else { continue }
            html += "<p>\(label):</p><ul>" + items.prefix(5).map { "<li><code>\(h($0))</code></li>" }.joined() + "</ul>"
        }
        let cost = String(format: "US$%.4f", step.usage.costUSD)
        html += "<p class=\"meta\">\(step.usage.promptTokens + step.usage.completionTokens) tokens · \(cost) · model \(formatDuration(step.usage.modelMs))</p>"
        html += "</figcaption></figure></li>\n"
        return html
    }

    private func imageSource(_ key: String) -> String? {
        if let bytes = options.screenshots[key], let type = ImageSniffer.mediaType(of: bytes) {
            return "data:\(type);base64,\(bytes.base64EncodedString())"
        }
        return options.screenshotLinks[key]
    }

    private func safeLink(_ url: String) -> String {
        let lowered = url.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? url : "#"
    }

    private func faultText(_ fault: JourneyFault) -> String {
        switch fault {
        case .none: return "no fault"
        case .site: return "a fault of the site"
        case .agent: return "a fault of the agent, not of the site"
        case .budget: return "the budget ran out"
        }
    }
}
