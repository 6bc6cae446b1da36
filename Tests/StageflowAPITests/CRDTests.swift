import Foundation
import StageflowAPI
import StageflowSchema
import Testing

@Suite("CustomResourceDefinitions")
struct CRDTests {
    let registry = SchemaRegistry.builtin

    /// The kinds users work with; `Lease` is the controller's own.
    static let scanKinds: [ResourceKind] = [.scanJob, .scanSchedule, .scanner]

    @Test("the embedded CRDs parse and build a registry")
    func embeddedCRDsParse() throws {
        let crds = try SchemaRegistry.embeddedCRDs()
        #expect(crds.count == ResourceKind.all.count)
        let registry = try SchemaRegistry(crds: crds)
        #expect(registry.crds == crds)
    }

    @Test("every file in crds/ is embedded, with the same content")
    func filesAreEmbedded() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/StageflowSchema/CRDs").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count == ResourceKind.all.count)
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let crd = try JSONValue.parseYAML(text)
            let kind = try #require(
                ResourceKind.all.first { crd["metadata"]?["name"]?.stringValue == $0.qualifiedName })
            #expect(registry.crd(for: kind) == crd, "\(file)")
        }
    }

    @Test("names, scope and short names match each ResourceKind", arguments: ResourceKind.all)
    func names(kind: ResourceKind) {
        let crd = registry.crd(for: kind)
        #expect(crd["apiVersion"] == "apiextensions.k8s.io/v1")
        #expect(crd["kind"] == "CustomResourceDefinition")
        #expect(crd["metadata"]?["name"]?.stringValue == kind.qualifiedName)
        #expect(crd["spec"]?["group"] == "stageflow.dev")
        #expect(crd["spec"]?["scope"]?.stringValue == (kind.namespaced ? "Namespaced" : "Cluster"))
        let names = crd["spec"]?["names"]
        #expect(names?["kind"]?.stringValue == kind.kind)
        #expect(names?["plural"]?.stringValue == kind.plural)
        #expect(names?["singular"]?.stringValue == kind.singular)
        #expect(names?["listKind"]?.stringValue == kind.listKind)
        #expect((names?["shortNames"]?.arrayValue ?? []) == kind.shortNames.map(JSONValue.string))
        let version = crd["spec"]?["versions"]?.arrayValue?.first
        #expect(version?["name"] == "v1alpha1")
        #expect(version?["served"] == true)
        #expect(version?["storage"] == true)
    }

    @Test("the scan kinds have a status subresource and the stageflow category", arguments: scanKinds)
    func statusAndCategory(kind: ResourceKind) {
        let crd = registry.crd(for: kind)
        #expect(crd["spec"]?["names"]?["categories"] == ["stageflow"])
        #expect(crd["spec"]?["versions"]?.arrayValue?.first?["subresources"] == ["status": [:]])
    }

    @Test("every object schema lists apiVersion, kind, metadata, spec and status", arguments: scanKinds)
    func rootProperties(kind: ResourceKind) {
        let schema = registry.schema(for: kind)
        #expect(schema["type"] == "object")
        let properties = schema["properties"]?.objectValue ?? [:]
        #expect(Set(properties.keys) == ["apiVersion", "kind", "metadata", "spec", "status"])
        #expect(properties["metadata"] == ["type": "object"])
        #expect(properties["apiVersion"]?["type"] == "string")
        #expect(properties["spec"]?["description"]?.stringValue?.isEmpty == false)
    }

    @Test("short names: sj for ScanJob, ss for ScanSchedule, none for Scanner")
    func shortNames() {
        #expect(registry.crd(for: .scanJob)["spec"]?["names"]?["shortNames"] == ["sj"])
        #expect(registry.crd(for: .scanSchedule)["spec"]?["names"]?["shortNames"] == ["ss"])
        #expect(registry.crd(for: .scanner)["spec"]?["names"]?["shortNames"] == nil)
    }

    @Test("printer columns of each kind")
    func printerColumns() {
        let job = registry.printerColumns(for: .scanJob)
        #expect(job.map(\.name) == ["Phase", "Pages", "Score", "Partial", "Issues", "Review", "Age"])
        #expect(job.map(\.type) == ["string", "integer", "number", "boolean", "integer", "integer", "date"])
        #expect(
            job.map(\.jsonPath.description) == [
                ".status.phase", ".status.pages.scanned", ".status.summary.score", ".status.summary.partial",
                ".status.summary.totalIssues", ".status.summary.needsReview", ".metadata.creationTimestamp",
            ])
        #expect(job.map(\.priority) == [0, 0, 0, 0, 0, 1, 0])
        let schedule = registry.printerColumns(for: .scanSchedule)
        #expect(schedule.map(\.name) == ["Schedule", "Suspend", "Active", "Last Schedule", "Score", "Δ", "Age"])
        #expect(schedule.map(\.type) == ["string", "boolean", "integer", "date", "number", "number", "date"])
        let scanner = registry.printerColumns(for: .scanner)
        #expect(scanner.map(\.name) == ["Version", "Categories", "Age"])
        #expect(scanner.map(\.priority) == [0, 1, 0])
        #expect(registry.printerColumns(for: .lease).map(\.name) == ["Holder", "Age"])
    }

    @Test("a Lease as the leader elector writes it validates strictly")
    func lease() {
        let lease: JSONValue = [
            "apiVersion": "stageflow.dev/v1alpha1", "kind": "Lease",
            "metadata": ["name": "stageflow-controller", "namespace": "stageflow-system"],
            "spec": [
                "holderIdentity": "host-1", "leaseDurationSeconds": 15, "acquireTime": .string(Fixtures.time),
                "renewTime": .string(Fixtures.time), "leaseTransitions": 0,
            ],
        ]
        #expect(registry.validate(lease, kind: .lease, unknownFields: .strict).causes == [])
        #expect(registry.schema(for: .lease)["properties"]?["status"] == nil)
    }

    @Test("printer columns read their cells from an object")
    func printerColumnValues() throws {
        let job = try Fixtures.json(Fixtures.scanJob())
        let cells = registry.printerColumns(for: .scanJob).map { $0.value(in: job) }
        #expect(cells == ["Done", 9, 87.5, true, 12, 4, .string(Fixtures.time)])
        let empty = registry.printerColumns(for: .scanJob).map { $0.value(in: Fixtures.minimalScanJob()) }
        #expect(empty == [nil, nil, nil, nil, nil, nil, nil])
        #expect(registry.printerColumns(for: .scanJob)[0].tableColumnDefinition["name"] == "Phase")
    }

    @Test("the jobTemplate of a ScanSchedule has exactly the ScanJob spec schema")
    func scheduleTemplateMatchesJobSpec() {
        let jobSpec = registry.schema(for: .scanJob)["properties"]?["spec"]
        let template = registry.schema(for: .scanSchedule)[path: ["properties", "spec", "properties", "jobTemplate"]]
        #expect(template?["properties"]?["spec"] == jobSpec)
    }

    @Test("conditions have the same schema in every kind")
    func conditionsAgree() {
        func items(_ kind: ResourceKind) -> JSONValue? {
            registry.schema(for: kind)[path: ["properties", "status", "properties", "conditions", "items"]]
        }
        #expect(items(.scanJob) != nil)
        #expect(items(.scanJob) == items(.scanSchedule))
        #expect(items(.scanJob) == items(.scanner))
    }

    @Test("constraints from the design are in the ScanJob schema")
    func scanJobConstraints() {
        let spec = registry.schema(for: .scanJob)[path: ["properties", "spec"]]
        let urls = spec?[path: ["properties", "target", "properties", "urls"]]
        #expect(urls?["maxItems"] == 100)
        #expect(urls?["items"]?["maxLength"] == 2048)
        #expect(spec?[path: ["properties", "scanners", "minItems"]] == 1)
        #expect(
            spec?[path: ["properties", "scanners", "items", "properties", "name", "pattern"]] == "^[a-z][a-z0-9-]*$")
        let config = spec?[path: ["properties", "scanners", "items", "properties", "config"]]
        #expect(
            config == [
                "type": "object", "x-kubernetes-preserve-unknown-fields": true,
                "description": config?["description"] ?? .null,
            ])
        #expect(spec?[path: ["properties", "deadlines", "properties", "extractionSeconds", "default"]] == 300)
        #expect(spec?[path: ["properties", "deadlines", "properties", "scanningSeconds", "default"]] == 1800)
        #expect(spec?[path: ["properties", "ttlSecondsAfterFinished", "minimum"]] == 0)
        #expect(spec?[path: ["properties", "failOn", "enum"]] == ["critical", "serious", "moderate", "minor", "info"])
    }

    @Test("a CRD whose names differ from its ResourceKind is rejected")
    func mismatchedCRD() throws {
        var crds = try SchemaRegistry.embeddedCRDs()
        crds[0]["spec"]?["names"]?["plural"] = "scans"
        #expect(throws: SchemaError.self) { try SchemaRegistry(crds: crds) }
        #expect(throws: SchemaError.self) { try SchemaRegistry(crds: Array(crds.dropFirst())) }
    }
}
