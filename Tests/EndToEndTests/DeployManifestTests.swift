import Foundation
import StageflowTestSupport
import Testing

/// `deploy/kubernetes`: each overlay renders with kubectl's kustomize, every rendered object validates against the
/// official Kubernetes schema of its kind, checkov finds no failed check, and the rendered objects keep the
/// promises the files make (confined pods, the scanner NetworkPolicy, disruption budgets). The validators come
/// from PyPI through `scripts/check-deploy`.
@Suite("Deployment manifests", .serialized)
struct DeployManifestTests {
    static let overlays = ["stageflow-api", "cluster-crds"]
    static let kubectl = Binaries.onPath("kubectl")

    static func render(_ overlay: String) throws -> [[String: Any]] {
        let rendered = try run(kubectl ?? "kubectl", ["kustomize", "deploy/kubernetes/overlays/\(overlay)"])
        guard rendered.status == 0 else { throw E2EError("kustomize \(overlay): \(rendered)") }
        // kubectl itself converts the YAML stream to JSON objects, one per document.
        let file = try temporaryFile("\(overlay).yaml", rendered.stdout)
        let json = try run(
            "/usr/bin/python3",
            ["-c", "import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))", file])
        guard json.status == 0, let objects = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] else {
            throw E2EError("cannot read the rendered \(overlay): \(json)")
        }
        return objects
    }

    @Test("scripts/check-deploy: both overlays render, validate strictly against Kubernetes 1.32 and pass checkov", .enabled(if: kubectl != nil))
    func validatorsPass() throws {
        let checked = try run("/bin/bash", ["scripts/check-deploy"])
        #expect(checked.status == 0, "\(checked)")
        for overlay in Self.overlays {
            #expect(checked.stdout.contains("ok   \(overlay): every object validates"), "\(checked.stdout)")
            #expect(checked.stdout.contains("ok   \(overlay): checkov Passed checks:") && checked.stdout.contains("Failed checks: 0,"))
        }
    }

    @Test("the validators refuse what they should: an unknown field, a privileged container", .enabled(if: kubectl != nil))
    func validatorsCanFail() throws {
        _ = try run("/bin/bash", ["scripts/check-deploy"])  // makes the virtual environment
        let broken = try temporaryFile(
            "broken.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: broken, namespace: stageflow}
            spec:
              replicas: 1
              selector: {matchLabels: {app: broken}}
              template:
                metadata: {labels: {app: broken}}
                spec:
                  containers:
                    - name: broken
                      image: localhost/stageflow:0.1.0
                      securityContext: {privileged: true}
                      surprise: true
            """)
        let validated = try run(".build-deploy-venv/bin/kubernetes-validate", ["--strict", "--quiet", "-k", "1.32.0", broken])
        #expect(validated.status != 0, "\(validated)")
        #expect((validated.stdout + validated.stderr).contains("surprise"), "\(validated)")
        let scanned = try run(
            ".build-deploy-venv/bin/checkov", ["-f", broken, "--framework", "kubernetes", "--compact", "--quiet", "--skip-download"])
        #expect(scanned.stdout.contains("CKV_K8S_16"), "privileged containers are flagged: \(scanned.stdout)")
    }

    @Test("every rendered pod is confined; the scanner policy keeps cluster, link-local and metadata ranges out", .enabled(if: kubectl != nil))
    func renderedPromises() throws {
        for overlay in Self.overlays {
            let objects = try Self.render(overlay)
            let kinds = objects.compactMap { $0["kind"] as? String }
            for kind in ["Namespace", "ServiceAccount", "Deployment", "PodDisruptionBudget", "NetworkPolicy", "Service"] {
                #expect(kinds.contains(kind), "\(overlay) has a \(kind)")
            }
            #expect(kinds.contains(overlay == "cluster-crds" ? "CustomResourceDefinition" : "Role"), "\(overlay): \(kinds)")
            for deployment in objects where deployment["kind"] as? String == "Deployment" {
                let name = (deployment["metadata"] as? [String: Any])?["name"] as? String ?? "?"
                let template = ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any] ?? [:]
                let pod = template["securityContext"] as? [String: Any] ?? [:]
                #expect(pod["runAsNonRoot"] as? Bool == true, "\(overlay)/\(name)")
                #expect((pod["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault", "\(overlay)/\(name)")
                for container in template["containers"] as? [[String: Any]] ?? [] {
                    let context = container["securityContext"] as? [String: Any] ?? [:]
                    #expect(context["readOnlyRootFilesystem"] as? Bool == true, "\(overlay)/\(name)")
                    #expect(context["allowPrivilegeEscalation"] as? Bool == false, "\(overlay)/\(name)")
                    #expect((context["capabilities"] as? [String: Any])?["drop"] as? [String] == ["ALL"], "\(overlay)/\(name)")
                    #expect((container["resources"] as? [String: Any])?["requests"] != nil, "\(overlay)/\(name) has requests")
                }
            }
            let policy = try #require(
                objects.first { $0["kind"] as? String == "NetworkPolicy" && ($0["metadata"] as? [String: Any])?["name"] as? String == "stageflow-scanners" })
            let egress = (policy["spec"] as? [String: Any])?["egress"] as? [[String: Any]] ?? []
            let blocks = egress.flatMap { ($0["to"] as? [[String: Any]] ?? []).compactMap { $0["ipBlock"] as? [String: Any] } }
            let excepted = Set(blocks.flatMap { $0["except"] as? [String] ?? [] })
            for range in ["169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "fe80::/10", "fc00::/7"] {
                #expect(excepted.contains(range), "\(overlay): scanner pods must not reach \(range)")
            }
            #expect(blocks.contains { $0["cidr"] as? String == "0.0.0.0/0" }, "scanner pods reach the internet")
        }
    }

    @Test("the Podman quadlets name the same layout: PostgreSQL, MinIO, the API server over HTTPS and the controllers")
    func quadlets() throws {
        let directory = URL(fileURLWithPath: "deploy/podman")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".container") }
        #expect(Set(files) == ["stageflow-postgres.container", "stageflow-minio.container", "stageflow-apiserver.container", "stageflow-controller.container"])
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let sections = text.split(separator: "\n").filter { $0.hasPrefix("[") }.map(String.init)
            #expect(sections.contains("[Container]") && sections.contains("[Install]"), "\(file): \(sections)")
            #expect(text.contains("NoNewPrivileges=true"), "\(file)")
            #expect(text.contains("Network=stageflow.network"), "\(file)")
        }
        let apiserver = try String(contentsOf: directory.appendingPathComponent("stageflow-apiserver.container"), encoding: .utf8)
        #expect(apiserver.contains("--tls-cert-file") && apiserver.contains("--auth-token-file"))
    }
}
