import Foundation
import Logging
import StageflowObjectStore
import StageflowPostgres
import StageflowRuntime
import StageflowStore

/// The checks of the services a deployment talks to: the Podman API, the object store and the database.
struct ServiceChecks {
    let options: ControllerOptions
    let dataDirectory: URL
    let databaseURL: String?
    let logger: Logger

    /// The Podman API socket, when scanner pods run on Podman: it answers a pod listing.
    func podman() async -> DoctorFinding {
        guard options.runtime == .podman else {
            return .skip("podman", "runtime is \(options.runtime.rawValue); --runtime podman would use \(options.podmanSocket)")
        }
        let runtime = PodmanRuntime(configuration: .init(socketPath: options.podmanSocket), logger: logger)
        do {
            let pods = try await runtime.podJobUIDs()
            return .ok("podman", "\(options.podmanSocket) answers (\(pods.count) Stageflow pods)")
        } catch {
            return .fail(
                "podman", "\(options.podmanSocket): \(error)",
                fix: "start the service: CONTAINERS_CONF=deploy/podman/containers.conf podman system service --time=0 unix://\(options.podmanSocket)")
        }
    }

    /// The object store: a probe object is written, read back and deleted.
    func objectStore() async -> DoctorFinding {
        let location = options.objectStore ?? dataDirectory.appendingPathComponent("objects").path
        do {
            let store = try ObjectStoreLocation(parsing: location).makeStore(logger: logger)
            let key = "doctor/probe-\(UUID().uuidString.lowercased())"
            try await store.put(key, text: "stageflow doctor", contentType: "text/plain")
            let read = try await store.get(key)
            try await store.delete(key)
            guard read == Data("stageflow doctor".utf8) else {
                return .fail("object store", "\(location): a probe object read back differently", fix: "check the store's consistency")
            }
            return .ok("object store", "\(location): wrote, read and deleted a probe object")
        } catch {
            return .fail(
                "object store", "\(location): \(error)",
                fix: "check --object-store (a writable directory, or s3://bucket?endpoint=… with credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)")
        }
    }

    /// The database: PostgreSQL with `--database-url`, else the SQLite file of the data directory; reachable and
    /// holding Stageflow's schema.
    func database() async -> DoctorFinding {
        if let databaseURL { return await postgres(databaseURL) }
        let path = dataDirectory.appendingPathComponent("stageflow.db").path
        guard FileManager.default.fileExists(atPath: path) else {
            return .skip("database", "\(path) does not exist yet; stageflow up creates it on first start")
        }
        do {
            let backend = try SQLiteBackend(path: path)
            let revision = try await backend.currentRevision()
            await backend.close()
            return .ok("database", "\(path): schema present, revision \(revision)")
        } catch {
            return .fail("database", "\(path): \(error)", fix: "start stageflow up once with this --data-dir (it creates the schema), or restore the file")
        }
    }

    private func postgres(_ url: String) async -> DoctorFinding {
        let shown = Self.redacted(url)
        let backend: PostgresBackend
        do {
            backend = try PostgresBackend(configuration: .init(url: url, poolSize: 1, connectTimeoutSeconds: 5), logger: logger)
        } catch {
            return .fail("database", "\(shown): \(error)", fix: "give --database-url as postgres://user:password@host:port/database")
        }
        let finding: DoctorFinding
        do {
            let revision = try await backend.currentRevision()
            finding = .ok("database", "\(shown): schema present, revision \(revision)")
        } catch {
            finding = .fail(
                "database", "\(shown): \(error)",
                fix: "check that PostgreSQL runs and the URL's user may connect; stageflow apiserver creates the schema on its first start")
        }
        await backend.close()
        return finding
    }

    /// The URL without its password.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
