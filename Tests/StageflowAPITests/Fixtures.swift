import StageflowSchema
import Testing

@testable import StageflowAPI

/// Typed resources with every optional field filled, and helpers to turn them into JSON.
enum Fixtures {
    static let time = "2026-11-22T16:44:24Z"

    static func metadata(name: String, namespace: String?) -> ObjectMeta {
        var meta = ObjectMeta(name: name, namespace: namespace, labels: ["app": "site"])
        meta.uid = "7f1c2d3e-0000-4000-8000-000000000001"
        meta.resourceVersion = "42"
        meta.generation = 2
        meta.annotations = ["stageflow.dev/note": "nightly"]
        meta.creationTimestamp = time
        meta.deletionTimestamp = time
        meta.finalizers = ["stageflow.dev/artifacts"]
        meta.managedFields = [["manager": "stageflowctl", "operation": "Apply"]]
        meta.ownerReferences = [
            OwnerReference(apiVersion: "stageflow.dev/v1alpha1", kind: "ScanSchedule", name: "nightly", uid: "u-1", blockOwnerDeletion: true)
        ]
        return meta
    }

    static func condition(_ type: String) -> Condition {
        Condition(
            type: type, status: .true, reason: "Done", message: "finished", lastTransitionTime: time,
            observedGeneration: 2)
    }

    static func scanJobSpec() -> ScanJobSpec {
        var crawl = CrawlOptions()
        crawl.maxPages = 50
        crawl.sameOrigin = true
        crawl.sitemap = false
        var archive = ArchiveSource(objectKey: "staging/uid/site.zip")
        archive.fileName = "site.zip"
        archive.sizeBytes = 1024
        archive.sha256 = String(repeating: "ab", count: 32)
        var resources = ScannerResources()
        resources.memoryMiB = 512
        resources.cpuMillicores = 500
        var axe = ScannerSelection(name: "axe", config: ["rules": ["color-contrast": true], "level": "AA"])
        axe.resources = resources
        var spec = ScanJobSpec(
            target: ScanTarget(
                urls: ["https://example.com/", "https://example.com/about"], crawl: crawl, archive: archive),
            scanners: [axe, ScannerSelection(name: "security-headers", config: [:])])
        spec.scanners[1].resources = resources
        spec.baselineRef = LocalObjectReference(name: "previous")
        spec.failOn = .serious
        var deadlines = ScanDeadlines()
        deadlines.extractionSeconds = 120
        deadlines.scanningSeconds = 600
        spec.deadlines = deadlines
        spec.ttlSecondsAfterFinished = 3600
        spec.allowPrivateTargets = false
        spec.suspend = false
        return spec
    }

    static func scanJob() -> ScanJob {
        var status = ScanJobStatus()
        status.phase = .done
        status.conditions = [condition("Accepted"), condition("Complete")]
        status.observedGeneration = 2
        status.startTime = time
        status.completionTime = "2026-11-22T16:50:00.250+01:00"
        status.phaseTransitions = [PhaseTransition(phase: .scanning, time: "2026-11-22T15:49:00.123456Z")]
        var run = ScanJobScannerStatus(name: "axe", state: "Succeeded")
        run.exitCode = 0
        run.message = "ok"
        run.findings = 12
        run.startedAt = time
        run.finishedAt = time
        run.restarts = 1
        status.scanners = [run]
        var pages = PageCounts()
        pages.total = 10
        pages.scanned = 9
        pages.failed = 1
        status.pages = pages
        var summary = ScanSummary()
        summary.score = 87.5
        summary.grade = "B"
        summary.partial = true
        summary.scoreNote = "Partial score over Accessibility: Links has no score (link-checker failed: timeout)."
        summary.categories = [
            "accessibility": ScanCategorySummary(score: 87.5, grade: "B", status: "scored", reason: "none"),
            "links": ScanCategorySummary(score: 0, grade: "F", status: "failed", reason: "link-checker failed: timeout"),
        ]
        summary.totalIssues = 12
        summary.occurrences = 30
        summary.needsReview = 4
        summary.bySeverity = ["critical": 0, "serious": 2, "moderate": 4, "minor": 5, "info": 1]
        summary.newSinceBaseline = 3
        summary.fixedSinceBaseline = 1
        status.summary = summary
        var report = ReportReference()
        report.jsonKey = "artifacts/uid/report.json"
        report.htmlKey = "artifacts/uid/report.html"
        status.reportRef = report
        status.notifications = [
            NotificationRecord(
                target: "chat", events: ["NewIssues"], result: "Delivered", attempts: 1, httpStatus: 200, message: "200 OK",
                time: "2030-06-01T00:00:00Z")
        ]
        return ScanJob(metadata: metadata(name: "site", namespace: "default"), spec: scanJobSpec(), status: status)
    }

    static func scanSchedule() -> ScanSchedule {
        var spec = ScanScheduleSpec(
            schedule: "0 3 * * *",
            jobTemplate: ScanJobTemplate(
                metadata: metadata(name: "template", namespace: "default"), spec: scanJobSpec()))
        spec.timeZone = "Europe/Berlin"
        spec.concurrencyPolicy = "Forbid"
        spec.suspend = false
        spec.startingDeadlineSeconds = 300
        spec.successfulJobsHistoryLimit = 5
        spec.failedJobsHistoryLimit = 2
        var chat = ScheduleNotifyTarget(name: "chat", url: "https://hooks.example.com/T1/B2", on: [.newIssues, .scoreDrop])
        chat.minSeverity = .serious
        chat.minScoreDrop = 2.5
        // url and urlSecretRef are alternatives (oneOf): the second target holds the other one.
        var pager = ScheduleNotifyTarget(name: "pager", on: [.failed, .recovered])
        pager.urlSecretRef = LocalObjectReference(name: "pager-webhook")
        pager.minSeverity = .critical
        pager.minScoreDrop = 10
        spec.notify = [chat, pager]
        var status = ScanScheduleStatus()
        status.lastScheduleTime = time
        status.lastSuccessfulTime = time
        var active = ObjectReference(name: "nightly-28912345")
        active.apiVersion = "stageflow.dev/v1alpha1"
        active.kind = "ScanJob"
        active.namespace = "default"
        active.uid = "u-2"
        status.active = [active]
        status.activeCount = 1
        var run = ScheduleRun(job: "nightly-28912285", phase: .done)
        run.scheduledTime = time
        run.completionTime = time
        run.score = 87.5
        run.scoreDelta = -2.5
        run.grade = "B"
        run.totalIssues = 4
        run.bySeverity = ["serious": 1, "minor": 3]
        run.newSinceBaseline = 1
        run.fixedSinceBaseline = 2
        status.history = [run]
        status.conditions = [condition("Scheduled")]
        status.observedGeneration = 1
        return ScanSchedule(metadata: metadata(name: "nightly", namespace: "default"), spec: spec, status: status)
    }

    static func scanner() -> Scanner {
        var spec = ScannerSpec(
            id: "axe", version: "4.10.0", entry: ScannerEntry(builtin: "axe", plugin: "axe-runner", command: ["axe-runner", "--json"], controller: "vision"))
        spec.displayName = "axe-core"
        spec.description = "Accessibility rules of axe-core."
        var capabilities = ScannerCapabilities()
        capabilities.categories = ["accessibility"]
        capabilities.requiresBrowser = true
        capabilities.maxConcurrency = 4
        capabilities.estimatedMillisecondsPerPage = 1500
        spec.capabilities = capabilities
        spec.configSchema = ["type": "object", "properties": ["level": ["type": "string"]]]
        var requirements = ScannerRequirements()
        requirements.memoryMiB = 1024
        requirements.timeoutSeconds = 600
        requirements.network = "target"
        spec.requirements = requirements
        spec.severityMapping = ["critical": .critical, "serious": .serious, "moderate": .moderate, "minor": .minor]
        var status = ScannerStatus()
        status.conditions = [condition("Available")]
        status.source = "manifests/scanners/axe.yaml"
        status.observedGeneration = 1
        return Scanner(metadata: metadata(name: "axe", namespace: nil), spec: spec, status: status)
    }

    /// A valid minimal ScanJob as JSON, the base of the negative tests.
    static func minimalScanJob() -> JSONValue {
        [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "ScanJob",
            "metadata": ["name": "site", "namespace": "default"],
            "spec": ["target": ["urls": ["https://example.com/"]], "scanners": [["name": "axe"]]],
        ]
    }

    static func json<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue(encoding: value)
    }

    /// The paths of optional values that are `nil` anywhere in a value, found by reflection; a fixture that
    /// leaves none out exercises every field of the Swift types.
    static func nilOptionals(in value: Any, path: String = "") -> [String] {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return [path] }
            return nilOptionals(in: wrapped, path: path)
        }
        if value is JSONValue { return [] }
        switch mirror.displayStyle {
        case .struct, .class:
            return mirror.children.flatMap { child in
                nilOptionals(in: child.value, path: path.isEmpty ? child.label ?? "?" : "\(path).\(child.label ?? "?")")
            }
        case .collection:
            return mirror.children.enumerated().flatMap { nilOptionals(in: $1.value, path: "\(path)[\($0)]") }
        case .dictionary:
            return mirror.children.flatMap { child in
                Mirror(reflecting: child.value).children.dropFirst().flatMap {
                    nilOptionals(in: $0.value, path: "\(path)[]")
                }
            }
        default:
            return []
        }
    }

    /// The property paths a schema declares (through arrays, not into maps or preserved fields) that `object`
    /// lacks: a fixture that has them all exercises every field of the CRD.
    static func missingSchemaFields(_ schema: JSONValue, in object: JSONValue, path: String = "") -> [String] {
        if let items = schema["items"] {
            guard let first = object.arrayValue?.first else { return [path] }
            return missingSchemaFields(items, in: first, path: path + "[0]")
        }
        var missing: [String] = []
        for (name, child) in schema["properties"]?.objectValue ?? [:] {
            let childPath = path.isEmpty ? name : "\(path).\(name)"
            guard let value = object[name] else {
                missing.append(childPath)
                continue
            }
            if childPath != "metadata" { missing += missingSchemaFields(child, in: value, path: childPath) }
        }
        return missing.sorted()
    }
}
