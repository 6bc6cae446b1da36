import StageflowAPI
import StageflowSchema
import Testing

@Suite("OpenAPI documents")
struct OpenAPITests {
    let registry = SchemaRegistry.builtin
    let gvPath = "apis/stageflow.dev/v1alpha1"

    func gvk(_ kind: String) -> JSONValue {
        ["group": "stageflow.dev", "kind": .string(kind), "version": "v1alpha1"]
    }

    @Test("v2 definitions name each GVK, as kubectl looks them up", arguments: ResourceKind.all)
    func v2Definitions(kind: ResourceKind) throws {
        let document = registry.openAPIV2()
        #expect(document["swagger"] == "2.0")
        let definitions = try #require(document["definitions"])
        let resource = try #require(definitions["dev.stageflow.v1alpha1.\(kind.kind)"])
        #expect(resource["x-kubernetes-group-version-kind"] == [gvk(kind.kind)])
        #expect(
            resource[path: ["properties", "metadata", "$ref"]]
                == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
        #expect(resource[path: ["properties", "spec", "properties"]] != nil)
        let list = try #require(definitions["dev.stageflow.v1alpha1.\(kind.listKind)"])
        #expect(list["x-kubernetes-group-version-kind"] == [gvk(kind.listKind)])
        #expect(definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]?[path: ["properties", "labels"]] != nil)
    }

    @Test("v2 schemas leave out what Swagger 2.0 cannot say")
    func v2Dialect() {
        let target = registry.openAPIV2()[path: [
            "definitions", "dev.stageflow.v1alpha1.ScanJob", "properties", "spec", "properties", "target",
        ]]
        #expect(target?["anyOf"] == nil)
        #expect(target?[path: ["properties", "urls", "maxItems"]] == 100)
    }

    @Test("every $ref of both documents resolves")
    func referencesResolve() throws {
        func references(_ value: JSONValue) -> [String] {
            switch value {
            case .object(let members):
                return (members["$ref"]?.stringValue.map { [$0] } ?? []) + members.values.flatMap(references)
            case .array(let elements):
                return elements.flatMap(references)
            default:
                return []
            }
        }
        let v2 = registry.openAPIV2()
        for reference in references(v2) {
            #expect(reference.hasPrefix("#/definitions/"))
            #expect(v2["definitions"]?[String(reference.dropFirst("#/definitions/".count))] != nil, "\(reference)")
        }
        let v3 = try #require(registry.openAPIV3(groupVersion: "stageflow.dev/v1alpha1"))
        for reference in references(v3) {
            let name = String(reference.dropFirst("#/components/schemas/".count))
            #expect(v3[path: ["components", "schemas", name]] != nil, "\(reference)")
        }
    }

    @Test(
        "writes declare fieldValidation and carry a single GVK",
        arguments: [(ResourceKind.scanJob, true), (ResourceKind.scanner, false)])
    func writeOperations(kind: ResourceKind, namespaced: Bool) throws {
        let base = "/apis/stageflow.dev/v1alpha1/" + (namespaced ? "namespaces/{namespace}/" : "")
        let item = base + kind.plural + "/{name}"
        for document in [registry.openAPIV2(), try #require(registry.openAPIV3(groupVersion: gvPath))] {
            let paths = try #require(document["paths"])
            for (path, method) in [
                (item, "patch"), (item, "put"), (base + kind.plural, "post"), (item + "/status", "patch"),
            ] {
                let operation = try #require(paths[path]?[method], "\(path) \(method)")
                #expect(operation["x-kubernetes-group-version-kind"] == gvk(kind.kind))
                let names = operation["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                #expect(names.contains("fieldValidation"), "\(path) \(method)")
                #expect(names.contains("dryRun"))
            }
            #expect(paths[item]?["get"]?["x-kubernetes-action"] == "get")
            #expect(paths[base + kind.plural]?["get"]?["x-kubernetes-action"] == "list")
        }
    }

    @Test("PATCH accepts JSON, merge and apply patches but not strategic merge, which CRDs lack")
    func patchContentTypes() throws {
        let item = "/apis/stageflow.dev/v1alpha1/namespaces/{namespace}/scanjobs/{name}"
        let v3 = try #require(registry.openAPIV3(groupVersion: gvPath))
        let content = try #require(v3[path: ["paths", item, "patch", "requestBody", "content"]]?.objectValue)
        #expect(
            Set(content.keys) == [
                "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml",
            ])
        #expect(registry.openAPIV2()[path: ["paths", item, "patch", "consumes"]]?.arrayValue?.count == 3)
    }

    @Test("/openapi/v3 points at the group-version document with a content hash")
    func v3Discovery() throws {
        let discovery = registry.openAPIV3Paths()
        let url = try #require(discovery[path: ["paths", gvPath, "serverRelativeURL"]]?.stringValue)
        #expect(url.hasPrefix("/openapi/v3/apis/stageflow.dev/v1alpha1?hash="))
        #expect(url.count == "/openapi/v3/apis/stageflow.dev/v1alpha1?hash=".count + 16)
        #expect(registry.openAPIV3(groupVersion: url) == registry.openAPIV3(groupVersion: "stageflow.dev/v1alpha1"))
        #expect(registry.openAPIV3(groupVersion: "/" + gvPath) != nil)
        #expect(registry.openAPIV3(groupVersion: "apps/v1") == nil)
    }

    @Test("v3 schemas are named like the v2 definitions and keep anyOf", arguments: ResourceKind.all)
    func v3Schemas(kind: ResourceKind) throws {
        let v3 = try #require(registry.openAPIV3(groupVersion: gvPath))
        #expect(v3["openapi"] == "3.0.0")
        let schema = try #require(v3[path: ["components", "schemas", "dev.stageflow.v1alpha1.\(kind.kind)"]])
        #expect(schema["x-kubernetes-group-version-kind"] == [gvk(kind.kind)])
        #expect(
            schema[path: ["properties", "metadata", "allOf"]] == [
                ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]
            ])
        let names = Set(v3[path: ["components", "schemas"]]?.objectValue.map { Array($0.keys) } ?? [])
        let v2Names = Set(registry.openAPIV2()["definitions"]?.objectValue.map { Array($0.keys) } ?? [])
        #expect(names == v2Names)
    }

    @Test("kubectl explain finds each kind through a GET operation of its paths", arguments: ResourceKind.all)
    func explainLookup(kind: ResourceKind) throws {
        let v3 = try #require(registry.openAPIV3(groupVersion: gvPath))
        let path = "/apis/stageflow.dev/v1alpha1/" + (kind.namespaced ? "namespaces/{namespace}/" : "") + kind.plural
        let operationGVK = try #require(v3[path: ["paths", path, "get", "x-kubernetes-group-version-kind"]])
        let matching = v3[path: ["components", "schemas"]]?.objectValue?.values.filter {
            $0["x-kubernetes-group-version-kind"]?.arrayValue?.contains(operationGVK) == true
        }
        #expect(matching?.count == 1)
    }

    @Test("the v2 protobuf carries the document: version, definitions with GVK, PATCH with fieldValidation")
    func v2Protobuf() throws {
        let document = try ProtobufReader.fields(registry.openAPIV2Protobuf())
        #expect(document.values(1).first?.string == "2.0")
        #expect(document.values(2).first?.message?.values(1).first?.string == "Stageflow")

        let definitions = try #require(document.values(9).first?.message)
        let scanJob = try #require(definitions.named(1, "dev.stageflow.v1alpha1.ScanJob"))
        let extensionValue = try #require(scanJob.named(31, "x-kubernetes-group-version-kind"))
        let yaml = try #require(extensionValue.values(2).first?.string)
        #expect(try JSONValue.parseYAML(yaml) == [gvk("ScanJob")])
        let type = try #require(scanJob.values(22).first?.message)
        #expect(type.values(1).first?.string == "object")
        let properties = try #require(scanJob.values(25).first?.message)
        let metadata = try #require(properties.named(1, "metadata"))
        #expect(metadata.values(1).first?.string == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")

        let paths = try #require(document.values(8).first?.message)
        let item = try #require(paths.named(2, "/apis/stageflow.dev/v1alpha1/namespaces/{namespace}/scanjobs/{name}"))
        let patch = try #require(item.values(8).first?.message)
        let gvkYAML = try #require(patch.named(13, "x-kubernetes-group-version-kind")?.values(2).first?.string)
        #expect(try JSONValue.parseYAML(gvkYAML) == gvk("ScanJob"))
        let queryNames = patch.values(8).compactMap { parameter -> String? in
            let query = parameter.message?.values(1).first?.message?.values(2).first?.message?.values(3).first?.message
            return query?.values(4).first?.string
        }
        #expect(queryNames.contains("fieldValidation"))
        let consumes = patch.values(7).compactMap(\.string)
        #expect(!consumes.contains("application/strategic-merge-patch+json"))
    }
}
