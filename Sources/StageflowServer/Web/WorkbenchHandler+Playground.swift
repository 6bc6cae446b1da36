import Foundation
import Hummingbird
import StageflowAPI
import StageflowStore

/// What the playground form holds: empty on first view, the submitted values with their errors after a
/// rejected submission.
struct PlaygroundSubmission: Sendable {
    var form: FormBody?
    /// Errors with the element they concern (`nil` for the form as a whole).
    var errors: [(message: String, elementID: String?)] = []
}

extension WorkbenchHandler {
    /// The registered scanners with their option forms.
    func scannerForms() async throws -> [(id: String, title: String, description: String?, form: ConfigSchemaForm)] {
        let list = try await store.list(.scanner, namespace: nil)
        return list.items.compactMap { item in
            guard let id = item[path: ["spec", "id"]]?.stringValue ?? item[path: ["metadata", "name"]]?.stringValue else {
                return nil
            }
            return (
                id, item[path: ["spec", "displayName"]]?.stringValue ?? id, item[path: ["spec", "description"]]?.stringValue,
                ConfigSchemaForm(scanner: id, configSchema: item[path: ["spec", "configSchema"]])
            )
        }
        .sorted { $0.id < $1.id }
    }

    /// The playground's template context.
    func playground(_ submission: PlaygroundSubmission) async throws -> [String: Any] {
        let scanners = try await scannerForms()
        let form = submission.form
        let invalid = Set(submission.errors.compactMap(\.elementID))
        let selected = Set(form?.values["scanner"] ?? [])
        let scannerContexts: [[String: Any]] = scanners.map { scanner in
            var context: [String: Any] = [
                "id": scanner.id, "title": scanner.title, "checkboxID": "scanner-\(scanner.id)",
                "checked": selected.contains(scanner.id),
                "fields": scanner.form.context(values: form?.values, invalid: invalid),
            ]
            if let description = scanner.description { context["description"] = description }
            context["hasFields"] = !scanner.form.fields.isEmpty
            return context
        }
        var context: [String: Any] = [
            "namespace": form?["namespace"] ?? "default", "name": form?["name"] ?? "", "urls": form?.values["urls"]?.last ?? "",
            "baseline": form?["baseline"] ?? "", "allowPrivateTargets": form?["allowPrivateTargets"] != nil,
            "scanners": scannerContexts, "hasScanners": !scannerContexts.isEmpty,
            "errors": submission.errors.map { error -> [String: Any] in
                var item: [String: Any] = ["message": error.message]
                if let id = error.elementID { item["target"] = id }
                return item
            },
            "hasErrors": !submission.errors.isEmpty,
            "repeatChoices": PlaygroundRepeat.choices.map { choice -> [String: Any] in
                ["value": choice.value, "label": choice.label, "selected": choice.value == (form?["repeat"] ?? "none")]
            },
            "repeatTime": form?["repeatTime"] ?? "03:00", "repeatCron": form?["repeatCron"] ?? "", "timeZone": form?["timeZone"] ?? "",
        ]
        for id in ["job-namespace", "job-name", "urls", "baseline", "scanners", "repeat", "repeat-time", "repeat-cron", "time-zone"]
        where invalid.contains(id) {
            context["invalid-" + id] = true
        }
        return context
    }

    /// A submitted URL job: built from the form, created through the API's admission, then the status page;
    /// a rejected job shows the form again with what was wrong, by field.
    func submit(_ request: Request, viewer: WebViewer) async throws -> Response {
        let data = try await RequestDocument.collect(request, limit: maxRequestBodyBytes)
        let form = FormBody(String(decoding: data, as: UTF8.self))
        guard form["csrf"] == viewer.csrf else {
            return html(
                ["heading": "The form has expired", "message": "Reload the playground and submit it again."],
                title: "Form expired", page: "error", status: .forbidden, viewer: viewer)
        }
        let principal = viewer.principal
        let scanners = try await scannerForms()
        var errors: [(message: String, elementID: String?)] = []
        let namespace = form["namespace"] ?? "default"
        let urls = (form.values["urls"]?.last ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if urls.isEmpty { errors.append(("spec.target.urls: enter at least one URL, one per line", "urls")) }
        let chosen = form.values["scanner"] ?? []
        if chosen.isEmpty { errors.append(("spec.scanners: choose at least one scanner", "scanners")) }
        var selections: [JSONValue] = []
        for (index, id) in chosen.enumerated() {
            var selection: [String: JSONValue] = ["name": .string(id)]
            if let scanner = scanners.first(where: { $0.id == id }) {
                do {
                    if let config = try scanner.form.config(from: form.values, index: index) { selection["config"] = config }
                } catch let invalid as ConfigSchemaForm.InvalidValues {
                    errors += invalid.problems.map { problem -> (message: String, elementID: String?) in
                        ("\(problem.field): \(problem.message)", problem.elementID)
                    }
                }
            }
            selections.append(.object(selection))
        }
        var repeating: PlaygroundRepeat?
        do {
            repeating = try PlaygroundRepeat.from(form)
        } catch {
            errors.append((error.message, error.elementID))
        }
        var metadata: [String: JSONValue] = ["namespace": .string(namespace)]
        if let name = form["name"] { metadata["name"] = .string(name) } else { metadata["generateName"] = "scan-" }
        var spec: [String: JSONValue] = [
            "target": ["urls": .array(urls.map { .string($0) })], "scanners": .array(selections),
        ]
        if form["allowPrivateTargets"] != nil { spec["allowPrivateTargets"] = true }
        if let baseline = form["baseline"] { spec["baselineRef"] = ["name": .string(baseline)] }
        let object: JSONValue = [
            "apiVersion": .string(ResourceKind.scanJob.apiVersion), "kind": .string(ResourceKind.scanJob.kind),
            "metadata": .object(metadata), "spec": .object(spec),
        ]
        // A refusal of the caller (403, 429) keeps its status; a job the API rejects is 422.
        var refusal = HTTPResponse.Status.unprocessableContent
        if errors.isEmpty {
            do {
                try RequestAccess.authorizeWorkbenchCreation(principal, namespace: namespace)
                if let repeating {
                    return try await createRepeating(repeating, metadata: metadata, spec: spec, viewer: viewer)
                }
                let created = try await resources.createScanJob(object, principal: principal, fieldManager: "stageflow-workbench")
                let name = created[path: ["metadata", "name"]]?.stringValue ?? ""
                return Response(
                    status: .seeOther,
                    headers: [.location: "/scans/\(Self.pathSegment(namespace))/\(Self.pathSegment(name))"])
            } catch let status as APIStatus {
                if status.code == 403 || status.code == 429 { refusal = HTTPResponse.Status(code: status.code) }
                let causes = status.details?.causes ?? []
                if causes.isEmpty {
                    errors.append((status.message, nil))
                } else {
                    errors += causes.map { cause -> (message: String, elementID: String?) in
                        let field = cause.field ?? ""
                        return ((field.isEmpty ? "" : field + ": ") + cause.message, Self.elementID(forField: field, chosen: chosen, scanners: scanners.map(\.form)))
                    }
                }
            }
        }
        let context = try await playground(PlaygroundSubmission(form: form, errors: errors))
        return html(context, title: "Playground", page: "playground", status: refusal, viewer: viewer)
    }

    /// A repeated scan: a ScanSchedule with the scan as its template, its first run started now (owned by the
    /// schedule, so later runs are compared with it), then the schedule's page.
    func createRepeating(
        _ repeating: PlaygroundRepeat, metadata: [String: JSONValue], spec: [String: JSONValue], viewer: WebViewer
    ) async throws -> Response {
        let namespace = metadata["namespace"]?.stringValue ?? "default"
        try RequestAccess.authorizeWorkbenchCreation(viewer.principal, kind: .scanSchedule, namespace: namespace)
        var scheduleMetadata = metadata
        if scheduleMetadata["generateName"] != nil { scheduleMetadata["generateName"] = "schedule-" }
        var scheduleSpec: [String: JSONValue] = ["schedule": .string(repeating.schedule), "jobTemplate": ["spec": .object(spec)]]
        if let zone = repeating.timeZone { scheduleSpec["timeZone"] = .string(zone) }
        let object: JSONValue = [
            "apiVersion": .string(ResourceKind.scanSchedule.apiVersion), "kind": .string(ResourceKind.scanSchedule.kind),
            "metadata": .object(scheduleMetadata), "spec": .object(scheduleSpec),
        ]
        let schedule = try await resources.createScanSchedule(object, principal: viewer.principal, fieldManager: "stageflow-workbench")
        let first = ScheduledJobBuilder(schedule: schedule).manualRun(named: nil, at: Date(), runs: [])
        do {
            _ = try await resources.createScanJob(first, principal: viewer.principal, fieldManager: "stageflow-workbench")
        } catch let status as APIStatus {
            // The schedule stands; say why its first run did not start rather than offer the form again.
            let context = scheduleContext(
                schedule, viewer: viewer, error: "The schedule was created, but its first run was not started: \(status.message)")
            return html(context, title: "Schedule \(Self.name(of: schedule))", page: "schedule", viewer: viewer)
        }
        return Response(status: .seeOther, headers: [.location: Self.scheduleURL(namespace, Self.name(of: schedule))])
    }

    /// The form element an API field path concerns (a schedule's `spec.jobTemplate.spec…` as the job's `spec…`).
    static func elementID(forField field: String, chosen: [String], scanners: [ConfigSchemaForm]) -> String? {
        if field.hasPrefix("spec.jobTemplate.spec") {
            return elementID(forField: String(field.dropFirst("spec.jobTemplate.".count)), chosen: chosen, scanners: scanners)
        }
        if field.hasPrefix("spec.schedule") { return "repeat-cron" }
        if field.hasPrefix("spec.timeZone") { return "time-zone" }
        if field.hasPrefix("metadata.namespace") { return "job-namespace" }
        if field.hasPrefix("metadata.name") || field.hasPrefix("metadata.generateName") { return "job-name" }
        if field.hasPrefix("spec.target") { return "urls" }
        if field.hasPrefix("spec.baselineRef") { return "baseline" }
        if field.hasPrefix("spec.scanners[") {
            let rest = field.dropFirst("spec.scanners[".count)
            if let close = rest.firstIndex(of: "]"), let index = Int(rest[..<close]), index < chosen.count {
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(".config."),
                    let form = scanners.first(where: { $0.scanner == chosen[index] }),
                    let property = after.dropFirst(".config.".count).split(whereSeparator: { $0 == "." || $0 == "[" }).first,
                    let match = form.fields.first(where: { $0.property == String(property) })
                {
                    return match.id
                }
                return "scanner-\(chosen[index])"
            }
        }
        if field.hasPrefix("spec.scanners") { return "scanners" }
        return nil
    }
}
