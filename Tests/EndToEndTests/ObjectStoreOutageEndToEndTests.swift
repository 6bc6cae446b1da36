import Foundation
import StageflowTestSupport
import Testing

/// `stageflow up` on S3 (moto behind a relay that can refuse connections): an object store that refuses every
/// connection for 40 s while a job is scanning delays the job, and it ends Done with the same findings as an
/// undisturbed run — the scanners' and the controller's S3 clients retry, a blocked pass is retried with backoff.
@Suite("Object store outage", .serialized)
struct ObjectStoreOutageEndToEndTests {
    @Test("a 40 s object-store refusal during Scanning ends in Done with the same fingerprints as an undisturbed run")
    func refusalDuringScanning() async throws {
        let moto = try await MotoServer.shared()
        let motoPort = moto.endpoint.port ?? 0
        let relay = try SwitchableRelay(targetPort: motoPort)
        defer { relay.stop() }
        let bucket = "outage-\(UUID().uuidString.prefix(8).lowercased())"
        let made = try run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "http://127.0.0.1:\(motoPort)/\(bucket)"])
        try #require(made.stdout == "200", "bucket: \(made)")
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(
            extraArguments: ["--allow-private-targets", "--object-store", "s3://\(bucket)?endpoint=http://127.0.0.1:\(relay.port)&region=us-east-1"],
            environment: ["AWS_ACCESS_KEY_ID": "AKIAOUTAGE", "AWS_SECRET_ACCESS_KEY": "outage-secret", "AWS_REGION": "us-east-1"])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        #expect(waitUntil(seconds: 60) { (try? driver.ctl(["get", "scanners", "-o", "name"]).stdout.contains("link-checker")) == true })

        // The stored report, read back from the bucket through `stageflowctl report` (moto answers only signed requests).
        func fingerprints(_ name: String) throws -> Set<String> {
            let fetched = try driver.ctl(["report", name, "-o", "json"])
            guard fetched.status == 0, let report = try? JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any] else {
                throw E2EError("the report of \(name) cannot be read: \(fetched)")
            }
            let issues = report["issues"] as? [[String: Any]] ?? []
            return Set(issues.flatMap { ($0["occurrences"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } })
        }

        try driver.apply(fixtureScanYAML(name: "calm", site: site))
        #expect(try driver.waitFinished("calm") == "Done")
        let undisturbed = try fingerprints("calm")
        #expect(!undisturbed.isEmpty, "the fixture site has findings to compare")

        try driver.apply(fixtureScanYAML(name: "stormy", site: site))
        let scanning = waitUntil(seconds: 120) { (try? driver.phase("stormy")) == "Scanning" }
        try #require(scanning, "the job never reached Scanning: \(server.server.errors.text.suffix(2000))")
        relay.isDown = true
        try await Task.sleep(for: .seconds(40))
        relay.isDown = false
        let phase = try driver.waitFinished("stormy", seconds: 400)
        #expect(phase == "Done", "\(String(describing: try? driver.job("stormy"))) \(server.server.errors.text.suffix(3000))")
        #expect(try fingerprints("stormy") == undisturbed)
    }

    @Test("a job blocked on a missing bucket for 60 s writes a handful of revisions, says why, and completes once the bucket exists")
    func missingBucket() async throws {
        let moto = try await MotoServer.shared()
        let motoPort = moto.endpoint.port ?? 0
        let bucket = "late-\(UUID().uuidString.prefix(8).lowercased())"
        let site = try FixtureSite(directory: FixtureSite.endToEndFixture("site"))
        defer { site.stop() }
        let server = try StageflowUp(
            extraArguments: ["--allow-private-targets", "--object-store", "s3://\(bucket)?endpoint=http://127.0.0.1:\(motoPort)&region=us-east-1"],
            environment: ["AWS_ACCESS_KEY_ID": "AKIAOUTAGE", "AWS_SECRET_ACCESS_KEY": "outage-secret", "AWS_REGION": "us-east-1"])
        defer { _ = server.stop() }
        let driver = ScanDriver(server: server.url, dataDirectory: server.dataDirectory)
        #expect(waitUntil(seconds: 60) { (try? driver.ctl(["get", "scanners", "-o", "name"]).stdout.contains("link-checker")) == true })

        // Every revision of the job, through a watch from before it exists.
        let list = try run("/usr/bin/curl", ["-sS"] + server.curlAuthorization + [server.url + "/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs"])
        let start = ((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? "0"
        let watch = try BackgroundProcess(
            "/usr/bin/curl",
            ["-sSN"] + server.curlAuthorization
                + [server.url + "/apis/stageflow.dev/v1alpha1/namespaces/default/scanjobs?watch=true&resourceVersion=\(start)&fieldSelector=metadata.name%3Dbucketless"])
        defer { watch.stop() }
        try driver.apply(fixtureScanYAML(name: "bucketless", site: site))
        let blocked = waitUntil(seconds: 60) {
            ((try? driver.job("bucketless")) ?? nil).map { job in
                let conditions = (job["status"] as? [String: Any])?["conditions"] as? [[String: Any]] ?? []
                return conditions.contains { $0["type"] as? String == "Progressing" && $0["reason"] as? String == "ObjectStoreUnavailable" }
            } == true
        }
        try #require(blocked, "the job does not say it is blocked: \(String(describing: try? driver.job("bucketless")))")
        try await Task.sleep(for: .seconds(60))
        let revisionsWhileBlocked = watch.output.text.split(separator: "\n").count
        print("revisions of a job blocked for 60 s on a missing bucket: \(revisionsWhileBlocked) (watch events, creation included)")
        #expect(revisionsWhileBlocked <= 5, "\(watch.output.text.suffix(3000))")
        let job = try #require(try driver.job("bucketless"))
        let message = ((job["status"] as? [String: Any])?["conditions"] as? [[String: Any]] ?? [])
            .first { $0["type"] as? String == "Progressing" }?["message"] as? String ?? ""
        #expect(message.contains("NoSuchBucket") || message.contains(bucket), "the cause names the bucket: \(message)")

        let made = try run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "http://127.0.0.1:\(motoPort)/\(bucket)"])
        try #require(made.stdout == "200", "bucket: \(made)")
        // The backoff has grown to tens of seconds by now; the retry after it finds the bucket.
        #expect(try driver.waitFinished("bucketless", seconds: 300) == "Done", "\(String(describing: try? driver.job("bucketless")))")
    }
}
