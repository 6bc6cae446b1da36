import CLibPQ
import Foundation
import Logging
import StageflowStore

/// What libpq needs to open a connection: the URL plus defaults the URL may override.
struct PostgresConnectionParameters: Sendable {
    /// `postgres://user:pass@host:port/db?host=/socket/dir`, as given.
    let url: String
    /// Seconds libpq waits for a connection before giving up.
    let connectTimeoutSeconds: Int
    /// Shown in `pg_stat_activity` unless the URL names one.
    let applicationName: String
    /// How long one statement may take before it is cancelled and its session dropped.
    let statementTimeout: Duration

    /// Checks that libpq can parse `url`, so a typo fails at start rather than on first use.
    init(url: String, connectTimeoutSeconds: Int, applicationName: String, statementTimeout: Duration = .seconds(8)) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            let message = error.map { String(cString: $0) } ?? "out of memory"
            PQfreemem(error)
            throw StorageUnavailable("invalid PostgreSQL URL \(Self.redacted(url)): \(message.trimmed)")
        }
        PQconninfoFree(options)
        self.url = url
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.applicationName = applicationName
        self.statementTimeout = statementTimeout
    }

    /// Opens a connection (blocking). Returns the handle, or throws with libpq's message and closes it.
    func connect(purpose: String) throws -> OpaquePointer {
        // Keywords before `dbname` are defaults: the expanded URL overrides them. Keepalives and the TCP user
        // timeout (TCP only) let a session notice a peer that vanished without closing the connection.
        let timeout = statementTimeout.components.seconds
        let keywords = [
            "connect_timeout", "fallback_application_name", "keepalives_idle", "keepalives_interval", "keepalives_count",
            "tcp_user_timeout", "dbname",
        ]
        let values = [String(connectTimeoutSeconds), applicationName, "10", "5", "3", String(max(timeout, 1) * 1000), url]
        let handle = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else {
            throw StorageUnavailable("cannot connect to PostgreSQL for \(purpose): libpq is out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmed
            PQfinish(handle)
            throw StorageUnavailable("cannot connect to PostgreSQL at \(Self.redacted(url)) for \(purpose): \(message)")
        }
        PQsetNoticeProcessor(handle, postgresNoticeProcessor, nil)
        return handle
    }

    /// The URL with any password replaced, for messages and logs.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "xxxxx"
        return components.string ?? url
    }

    private func withCStrings<T>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) } + [nil])
    }
}

private let noticeLogger = Logger(label: "stageflow.postgres")

/// Routes server notices (and the shutdown message an idle session receives) to the log instead of standard
/// error.
private func postgresNoticeProcessor(_ argument: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?) {
    guard let message else { return }
    noticeLogger.debug("PostgreSQL notice", metadata: ["notice": "\(String(cString: message).trimmed)"])
}

extension String {
    /// Without the trailing newline libpq puts on its messages.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
