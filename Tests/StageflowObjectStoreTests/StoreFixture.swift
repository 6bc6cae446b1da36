import Crypto
import Foundation
import StageflowObjectStore
import StageflowTestSupport
import Testing

/// The stores every conformance test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case filesystem
    case memory
    case s3

    var testDescription: String { rawValue }

    /// A fresh, empty store of this kind; S3 stores get a new bucket on the shared moto server, with 5 MiB parts
    /// so that a 40 MiB object is uploaded in eight.
    func makeStore() async throws -> any ObjectStore {
        switch self {
        case .filesystem:
            return try FilesystemObjectStore(root: temporaryDirectory("store"))
        case .memory:
            return MemoryObjectStore()
        case .s3:
            return try await makeS3Store()
        }
    }
}

/// A store on a new bucket of the shared moto server.
func makeS3Store(
    partSize: Int = S3ObjectStore.Configuration.minimumPartSize, createBucket: Bool = true
) async throws -> S3ObjectStore {
    let moto = try await MotoServer.shared()
    let configuration = S3ObjectStore.Configuration(
        bucket: "stageflow-\(UUID().uuidString.prefix(8).lowercased())", endpoint: moto.endpoint, region: "us-east-1",
        credentials: .init(accessKeyID: "AKIAEXAMPLE", secretAccessKey: "secret"), partSize: partSize,
        multipartThreshold: partSize)
    let store = try S3ObjectStore(configuration: configuration)
    if createBucket { try await store.createBucketIfMissing() }
    return store
}

/// A new empty directory under the system's temporary directory.
func temporaryDirectory(_ purpose: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("stageflow-\(purpose)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// `count` deterministic pseudo-random bytes in chunks of `chunkSize`, generated as they are consumed; if
/// `failAfter` is set, the sequence throws `InjectedFailure` once that many bytes have been produced.
struct PatternChunks: AsyncSequence, Sendable {
    typealias Element = Data

    let count: Int
    let chunkSize: Int
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    var failAfter: Int?

    func makeAsyncIterator() -> Iterator {
        Iterator(remaining: count, chunkSize: chunkSize, state: seed, failAfter: failAfter)
    }

    struct Iterator: AsyncIteratorProtocol {
        var remaining: Int
        let chunkSize: Int
        var state: UInt64
        var failAfter: Int?
        var produced = 0

        mutating func next() async throws -> Data? {
            if let failAfter, produced >= failAfter { throw InjectedFailure() }
            guard remaining > 0 else { return nil }
            let size = Swift.min(chunkSize, remaining)
            var bytes = [UInt8](repeating: 0, count: size)
            for index in 0..<size {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                bytes[index] = UInt8(truncatingIfNeeded: state)
            }
            remaining -= size
            produced += size
            return Data(bytes)
        }
    }

    /// The SHA-256 of every byte the sequence produces.
    func sha256() async throws -> SHA256.Digest {
        var hasher = SHA256()
        for try await chunk in self { hasher.update(data: chunk) }
        return hasher.finalize()
    }
}

/// The failure `PatternChunks` throws on purpose.
struct InjectedFailure: Error, Equatable {}

/// The SHA-256 of a file, read in chunks.
func sha256(ofFile url: URL) async throws -> SHA256.Digest {
    var hasher = SHA256()
    for try await chunk in FileChunks(url: url) { hasher.update(data: chunk) }
    return hasher.finalize()
}

/// Runs `body` for each element with at most `width` at a time.
func concurrently<Element: Sendable>(
    _ elements: [Element], width: Int = 16, _ body: @escaping @Sendable (Element) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var iterator = elements.makeIterator()
        for _ in 0..<width {
            guard let element = iterator.next() else { break }
            group.addTask { try await body(element) }
        }
        while try await group.next() != nil {
            guard let element = iterator.next() else { continue }
            group.addTask { try await body(element) }
        }
    }
}
