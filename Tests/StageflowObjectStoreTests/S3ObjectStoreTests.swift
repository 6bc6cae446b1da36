import Foundation
import StageflowHTTP
import StageflowObjectStore
import StageflowTestSupport
import Testing

/// What only the S3 store does, against moto: error reporting, multipart housekeeping, configuration.
@Suite("S3 object store")
struct S3ObjectStoreTests {
    @Test("a missing key names the bucket, the key and the S3 code")
    func missingKeyError() async throws {
        let store = try await makeS3Store()
        let error = await #expect(throws: ObjectStoreError.self) { try await store.get("artifacts/j/report.json") }
        #expect(error?.kind == .notFound)
        #expect(error?.bucket == store.configuration.bucket)
        #expect(error?.serviceCode == "NoSuchKey")
        #expect(error?.httpStatus == 404)
        let text = error?.description ?? ""
        #expect(text.contains(store.configuration.bucket) && text.contains("artifacts/j/report.json") && text.contains("NoSuchKey"))
    }

    @Test("a missing bucket is a service error with NoSuchBucket")
    func missingBucket() async throws {
        let store = try await makeS3Store(createBucket: false)
        let error = await #expect(throws: ObjectStoreError.self) { try await store.put("a.txt", text: "x") }
        #expect(error?.kind == .service)
        #expect(error?.serviceCode == "NoSuchBucket")
        #expect(error?.description.contains(store.configuration.bucket) == true)
        try await store.createBucketIfMissing()
        try await store.createBucketIfMissing()
        try await store.put("a.txt", text: "x")
    }

    @Test("a failed multipart upload is aborted, leaving no pending upload")
    func abortedUpload() async throws {
        let store = try await makeS3Store()
        let started = try await rawRequest(store, "POST", path: "/elsewhere.bin", query: "uploads")
        #expect(started.status == 200, "\(started.text)")
        #expect(try await pendingUploads(store) == ["elsewhere.bin"])
        await #expect(throws: InjectedFailure.self) {
            try await store.put(
                "staging/j/site.zip", chunks: PatternChunks(count: 30 << 20, chunkSize: 1 << 20, failAfter: 11 << 20),
                contentType: "application/zip")
        }
        #expect(try await pendingUploads(store) == ["elsewhere.bin"])
        #expect(try await store.head("staging/j/site.zip") == nil)
    }

    @Test("data over the threshold goes up in parts; unsigned payloads work too")
    func multipartData() async throws {
        var store = try await makeS3Store()
        let data = Data((0..<(6 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try await store.put("big.bin", data: data, contentType: nil)
        #expect(try await store.head("big.bin")?.etag?.hasSuffix("-2") == true)
        #expect(try await store.get("big.bin") == data)

        var configuration = store.configuration
        configuration.signsPayload = false
        store = try S3ObjectStore(configuration: configuration)
        try await store.put("unsigned.txt", text: "unsigned")
        #expect(try await store.get("unsigned.txt") == Data("unsigned".utf8))
    }

    @Test("an unreachable endpoint is a transport error naming the store")
    func unreachable() async throws {
        let configuration = S3ObjectStore.Configuration(
            bucket: "nowhere", endpoint: URL(string: "http://127.0.0.1:1")!,
            credentials: .init(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "secret"), maxAttempts: 1)
        let store = try S3ObjectStore(configuration: configuration)
        let error = await #expect(throws: ObjectStoreError.self) { try await store.head("a.txt") }
        #expect(error?.kind == .transport)
        #expect(error?.description.contains("127.0.0.1:1") == true)
    }

    @Test("an object store that refuses connections for a while: requests retry with backoff and succeed when it is back")
    func outageIsRetried() async throws {
        let moto = try await MotoServer.shared()
        let relay = try SwitchableRelay(targetPort: moto.endpoint.port ?? 0)
        defer { relay.stop() }
        let bucket = "stageflow-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = S3ObjectStore.Configuration(
            bucket: bucket, endpoint: URL(string: "http://127.0.0.1:\(relay.port)")!, region: "us-east-1",
            credentials: .init(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "secret"))
        configuration.retryWindow = .seconds(60)
        let store = try S3ObjectStore(configuration: configuration)
        try await store.createBucketIfMissing()
        relay.isDown = true
        let written = Task { try await store.put("during-outage.txt", text: "kept") }
        try await Task.sleep(for: .seconds(3))
        relay.isDown = false
        try await written.value
        #expect(try await store.get("during-outage.txt") == Data("kept".utf8))

        // Past the retry window the failure is final.
        configuration.retryWindow = .milliseconds(500)
        let impatient = try S3ObjectStore(configuration: configuration)
        relay.isDown = true
        let error = await #expect(throws: ObjectStoreError.self) { try await impatient.get("during-outage.txt") }
        #expect(error?.kind == .transport)
    }

    @Test("configuration from an s3:// URL, parameters over environment")
    func configurationFromURL() throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_REGION": "eu-west-1"]
        let fromEnvironment = try S3ObjectStore.Configuration(
            url: "s3://stageflow?endpoint=http://127.0.0.1:9000", environment: environment)
        #expect(fromEnvironment.bucket == "stageflow")
        #expect(fromEnvironment.endpoint.absoluteString == "http://127.0.0.1:9000")
        #expect(fromEnvironment.region == "eu-west-1")
        #expect(fromEnvironment.credentials.accessKeyID == "AKIAENV")
        #expect(fromEnvironment.partSize == 16 << 20)

        let fromParameters = try S3ObjectStore.Configuration(
            url: "s3://stageflow/?region=us-east-1&accessKeyId=AKIAP&secretAccessKey=psecret&partSize=8388608",
            environment: environment)
        #expect(fromParameters.credentials.accessKeyID == "AKIAP")
        #expect(fromParameters.region == "us-east-1")
        #expect(fromParameters.partSize == 8 << 20)
        #expect(fromParameters.endpoint.absoluteString == "https://s3.us-east-1.amazonaws.com")
        #expect(!fromParameters.description.contains("psecret"))
    }

    @Test("bad s3:// URLs say what is wrong", arguments: [
        ("s3://stageflow", "AWS_ACCESS_KEY_ID"),
        ("s3://stageflow?accessKeyId=A&secretAccessKey=topsecret&regoin=x", "unknown parameter regoin"),
        ("s3://Bad_Bucket?accessKeyId=A&secretAccessKey=topsecret", "invalid bucket name"),
        ("s3://stageflow/prefix?accessKeyId=A&secretAccessKey=topsecret", "unexpected path /prefix"),
        ("s3://stageflow?accessKeyId=A&secretAccessKey=topsecret&partSize=1024", "outside 5 MiB"),
        ("s3://stageflow?accessKeyId=A&secretAccessKey=topsecret&endpoint=ftp://x", "not an http:// or https:// URL"),
    ])
    func badURLs(url: String, message: String) {
        let error = #expect(throws: ObjectStoreError.self) { try S3ObjectStore.Configuration(url: url, environment: [:]) }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("topsecret") == false)
    }

    /// The keys of unfinished multipart uploads in the store's bucket (`ListMultipartUploads`).
    private func pendingUploads(_ store: S3ObjectStore) async throws -> [String] {
        let response = try await rawRequest(store, "GET", path: "", query: "uploads")
        #expect(response.status == 200, "\(response.text)")
        return response.text.components(separatedBy: "<Key>").dropFirst().compactMap { $0.components(separatedBy: "</Key>").first }
    }

    /// A request to the store's bucket (`path` after the bucket) signed here with the public signer.
    private func rawRequest(_ store: S3ObjectStore, _ method: String, path: String, query: String) async throws -> HTTPResponse {
        let configuration = store.configuration
        let signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "s3")
        let url = try #require(URL(string: "\(configuration.endpoint.absoluteString)/\(configuration.bucket)\(path)?\(query)"))
        let request = try #require(SigV4Signer.Request(method: method, url: url))
        let signed = signer.sign(request, at: Date())
        return try await HTTPClient().send(
            HTTPRequest(method: method, url: try #require(signed.request.url(scheme: "http")), headers: signed.request.headers))
    }
}
