import CLibPQ
import Foundation
import StageflowStore
import Logging

/// One libpq connection, used only from its own serial queue: libpq calls block, so they never run on the Swift
/// concurrency pool. Connects lazily, reconnects on the next use after the server went away, and prepares each
/// statement once per session.
final class PostgresConnection: @unchecked Sendable {
    private let parameters: PostgresConnectionParameters
    private let queue: DispatchQueue
    private let logger: Logger
    private var handle: OpaquePointer?
    private var statements: [String: String] = [:]
    private var closed = false

    init(parameters: PostgresConnectionParameters, label: String, logger: Logger) {
        self.parameters = parameters
        self.queue = DispatchQueue(label: "stageflow.postgres.\(label)")
        self.logger = logger
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Runs `body` on the connection's queue.
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self) })
            }
        }
    }

    /// Closes the session; later calls fail.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.closed = true
                self.disconnect()
                continuation.resume()
            }
        }
    }

    /// Runs one statement with bound parameters (prepared once per session), calling `row` for each result row.
    ///
    /// A statement that failed because the connection broke is retried once on a fresh connection when it is
    /// `retryable` (a read) or when it never reached the server; otherwise the failure is `StorageUnavailable`,
    /// as a write whose outcome is unknown must not be blindly repeated.
    func query(
        _ sql: String, _ values: [PostgresValue] = [], retryable: Bool, what: @autoclosure () -> String,
        row: (PostgresRow) throws -> Void = { _ in }
    ) throws {
        try withRetry(retryable: retryable, what: what) { handle in
            let name = try prepared(sql, values, handle)
            let sent = bind(values) { pointers, lengths, formats in
                PQsendQueryPrepared(handle, name, Int32(values.count), pointers, lengths, formats, 1)
            }
            let result = try awaitResult(handle, sent: sent == 1)
            defer { PQclear(result) }
            try check(result, handle, sent: true)
            guard let result else { return }
            for index in 0..<PQntuples(result) {
                try row(PostgresRow(result: result, index: index))
            }
        }
    }

    /// Runs SQL text without parameters through the simple protocol (several statements allowed).
    func execute(_ sql: String, retryable: Bool, what: @autoclosure () -> String) throws {
        try withRetry(retryable: retryable, what: what) { handle in
            let result = try awaitResult(handle, sent: PQsendQuery(handle, sql) == 1)
            defer { PQclear(result) }
            try check(result, handle, sent: true)
        }
    }

    /// Waits for the result of the statement just sent, at most `parameters.statementTimeout`: a server that
    /// accepted the connection but does not answer (paused, partitioned away) must not hold a request for as long
    /// as it is gone. On the deadline the statement is cancelled (the cancel request is sent from another thread,
    /// so it cannot block this one) and the session dropped; the failure says the outcome is unknown. Returns
    /// the last result (the error one, if any); `nil` when there was none.
    private func awaitResult(_ handle: OpaquePointer, sent: Bool) throws -> OpaquePointer? {
        guard sent else {
            throw PostgresFailure.connectionLost(message: String(cString: PQerrorMessage(handle)).trimmed, sent: false)
        }
        let deadline = ContinuousClock.now + parameters.statementTimeout
        while PQisBusy(handle) == 1 {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                Self.cancelInBackground(handle)
                throw PostgresFailure.timedOut(parameters.statementTimeout)
            }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1, 1000))
            if poll(&descriptor, 1, milliseconds) < 0, errno != EINTR {
                throw PostgresFailure.connectionLost(message: String(cString: strerror(errno)), sent: true)
            }
            if PQconsumeInput(handle) == 0 {
                throw PostgresFailure.connectionLost(message: String(cString: PQerrorMessage(handle)).trimmed, sent: true)
            }
        }
        var last: OpaquePointer?
        while let next = PQgetResult(handle) {
            if let previous = last {
                // Keep an error result over the ones around it; otherwise the latest.
                let previousFailed = ![PGRES_TUPLES_OK, PGRES_COMMAND_OK].contains(PQresultStatus(previous))
                if previousFailed {
                    PQclear(next)
                    continue
                }
                PQclear(previous)
            }
            last = next
        }
        return last
    }

    /// Sends a cancel request for the statement running on `handle` without waiting for it.
    private static func cancelInBackground(_ handle: OpaquePointer) {
        guard let cancel = PQgetCancel(handle) else { return }
        let box = CancelHandle(cancel)
        Thread.detachNewThread {
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(box.pointer, &buffer, Int32(buffer.count))
            PQfreeCancel(box.pointer)
        }
    }

    private func withRetry(
        retryable: Bool, what: () -> String, _ body: (OpaquePointer) throws -> Void
    ) throws {
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try body(try connected(what))
            } catch let failure as PostgresFailure {
                switch failure {
                case .timedOut(let limit):
                    disconnect()
                    let outcome = retryable ? "" : "; the write may or may not have been applied"
                    throw StorageUnavailable("\(what()) failed: PostgreSQL did not answer within \(limit)\(outcome)")
                case .connectionLost(let message, let sent):
                    disconnect()
                    if sent && !retryable {
                        throw StorageUnavailable(
                            "\(what()) failed: the connection to PostgreSQL broke, so the write may or may not have been applied: \(message)")
                    }
                    if attempts > 1 { throw StorageUnavailable("\(what()) failed: the connection to PostgreSQL broke: \(message)") }
                    logger.info("PostgreSQL connection lost, reconnecting", metadata: ["error": "\(message)"])
                case .server(let message, let sqlState):
                    abandonTransaction()
                    if sqlState == "26000", attempts == 1 {
                        // The session lost its prepared statements (DISCARD ALL, a pooler): prepare again.
                        statements = [:]
                        continue
                    }
                    // 53100 is disk_full (class 53, insufficient resources).
                    throw StorageUnavailable(
                        "\(what()) failed: PostgreSQL: \(message) (SQLSTATE \(sqlState))", storageFull: sqlState == "53100")
                }
            }
        }
    }

    /// The open session, connecting when there is none. An idle session whose socket is readable is replaced
    /// before anything is sent on it: nothing is owed to it, so the server is closing it (a shutdown or timeout
    /// message, or end of file), and a write sent there would fail with an unknown outcome.
    private func connected(_ what: () -> String) throws -> OpaquePointer {
        if closed { throw StorageUnavailable("\(what()) failed: the PostgreSQL backend is closed") }
        if let handle {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard PQstatus(handle) != CONNECTION_OK || poll(&descriptor, 1, 0) != 0 else { return handle }
            _ = PQconsumeInput(handle)
            logger.info(
                "PostgreSQL session closed by the server, reconnecting",
                metadata: ["error": "\(String(cString: PQerrorMessage(handle)).trimmed)"])
            disconnect()
        }
        let opened: OpaquePointer
        do {
            opened = try parameters.connect(purpose: "queries")
        } catch let error as StorageUnavailable {
            throw StorageUnavailable("\(what()) failed: \(error.description)")
        }
        handle = opened
        return opened
    }

    /// Rolls back a transaction a failed statement left open, so the session is usable again.
    private func abandonTransaction() {
        guard let handle, PQtransactionStatus(handle) != PQTRANS_IDLE else { return }
        PQclear(PQexec(handle, "ROLLBACK"))
    }

    private func disconnect() {
        if let handle { PQfinish(handle) }
        handle = nil
        statements = [:]
    }

    private func prepared(_ sql: String, _ values: [PostgresValue], _ handle: OpaquePointer) throws -> String {
        if let name = statements[sql] { return name }
        let name = "s\(statements.count)"
        let types = values.map(\.typeOID)
        let result = try awaitResult(handle, sent: PQsendPrepare(handle, name, sql, Int32(values.count), types) == 1)
        defer { PQclear(result) }
        // A statement that only failed to prepare never ran, so even a write may be retried.
        try check(result, handle, sent: false)
        statements[sql] = name
        return name
    }

    private func check(_ result: OpaquePointer?, _ handle: OpaquePointer, sent: Bool) throws {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK { return }
        var message = result.map { String(cString: PQresultErrorMessage($0)).trimmed } ?? ""
        if message.isEmpty { message = String(cString: PQerrorMessage(handle)).trimmed }
        if PQstatus(handle) != CONNECTION_OK {
            throw PostgresFailure.connectionLost(message: message, sent: sent)
        }
        let sqlState = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) } ?? "?????"
        if sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03" {
            // Connection exceptions and shutdowns: the session is unusable even if libpq has not noticed yet.
            throw PostgresFailure.connectionLost(message: message, sent: sent)
        }
        throw PostgresFailure.server(message: message, sqlState: sqlState)
    }

    private func bind<T>(
        _ values: [PostgresValue],
        _ body: ([UnsafePointer<CChar>?], [Int32], [Int32]) -> T
    ) -> T {
        let encoded = values.map(\.binary)
        let buffers: [UnsafeMutablePointer<CChar>?] = encoded.map { bytes in
            guard let bytes else { return nil }
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress ?? UnsafeRawPointer(buffer), byteCount: source.count)
            }
            return buffer
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let lengths = encoded.map { Int32($0?.count ?? 0) }
        let formats = [Int32](repeating: 1, count: values.count)
        return body(buffers.map { UnsafePointer($0) }, lengths, formats)
    }
}

/// Why a statement failed, before it is described for users.
enum PostgresFailure: Error {
    /// The session broke; `sent` tells whether the statement may have reached the server.
    case connectionLost(message: String, sent: Bool)
    /// The server refused the statement.
    case server(message: String, sqlState: String)
    /// No answer within the statement deadline.
    case timedOut(Duration)
}

/// A libpq cancel object handed to the thread that sends the cancel request.
private final class CancelHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
