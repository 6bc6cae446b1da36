import Foundation

/// The embedded default backend: one SQLite file in WAL mode. One writer connection serialises writes, so
/// revisions commit in order; readers use their own connection and see consistent snapshots.
public final class SQLiteBackend: StorageBackend {
    private let writer: SQLiteConnection
    private let reader: SQLiteConnection
    private let signals = SignalBroadcaster()

    /// Opens (creating when missing) the database at `path`.
    public init(path: String) throws {
        writer = try SQLiteConnection(path: path, label: "writer")
        reader = try SQLiteConnection(path: path, label: "reader")
    }

    public func prepare() async throws {
        try await writer.run { db in
            try db.execute("PRAGMA journal_mode=WAL")
            try db.execute("PRAGMA synchronous=NORMAL")
            try db.execute(
                """
                CREATE TABLE IF NOT EXISTS stageflow_objects (
                    key TEXT PRIMARY KEY, resource TEXT NOT NULL, namespace TEXT NOT NULL,
                    revision INTEGER NOT NULL, value BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS stageflow_objects_resource ON stageflow_objects (resource, key);
                CREATE TABLE IF NOT EXISTS stageflow_events (
                    revision INTEGER PRIMARY KEY, type TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS stageflow_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                INSERT OR IGNORE INTO stageflow_counters (name, value) VALUES ('revision', 0), ('compacted', 0);
                """)
        }
        try await reader.run { db in try db.execute("PRAGMA synchronous=NORMAL") }
    }

    public func currentRevision() async throws -> Int64 {
        try await reader.run { db in try Self.counter(db, "revision") }
    }

    public func compactedRevision() async throws -> Int64 {
        try await reader.run { db in try Self.counter(db, "compacted") }
    }

    public func get(_ key: ObjectKey) async throws -> StoredRecord? {
        try await reader.run { db in
            var record: StoredRecord?
            try db.query("SELECT revision, value FROM stageflow_objects WHERE key = ?", [.text(key.path)]) { row in
                record = StoredRecord(key: key, revision: row.int(0), value: row.blob(1))
            }
            return record
        }
    }

    public func list(resource: String, namespace: String?, after: ObjectKey?, limit: Int?) async throws
        -> (records: [StoredRecord], revision: Int64)
    {
        try await reader.run { db in
            try db.execute("BEGIN")
            defer { try? db.execute("COMMIT") }
            let revision = try Self.counter(db, "revision")
            var records: [StoredRecord] = []
            let lowerBound = after?.path ?? ""
            let sql: String
            var parameters: [SQLiteValue] = [.text(resource), .text(lowerBound)]
            if let namespace {
                sql = """
                    SELECT key, revision, value FROM stageflow_objects
                    WHERE resource = ? AND key > ? AND namespace = ? ORDER BY key LIMIT ?
                    """
                parameters.append(.text(namespace))
            } else {
                sql = "SELECT key, revision, value FROM stageflow_objects WHERE resource = ? AND key > ? ORDER BY key LIMIT ?"
            }
            parameters.append(.integer(Int64(limit ?? -1)))
            try db.query(sql, parameters) { row in
                guard let key = ObjectKey(path: row.text(0)) else { return }
                records.append(StoredRecord(key: key, revision: row.int(1), value: row.blob(2)))
            }
            return (records, revision)
        }
    }

    public func write(_ mutation: Mutation) async throws -> Int64 {
        let revision = try await writer.run { db in
            try db.execute("BEGIN IMMEDIATE")
            do {
                let revision = try Self.apply(mutation, db)
                try db.execute("COMMIT")
                return revision
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
        signals.signal()
        return revision
    }

    private static func apply(_ mutation: Mutation, _ db: SQLiteConnection) throws -> Int64 {
        var current: (revision: Int64, value: Data)?
        try db.query("SELECT revision, value FROM stageflow_objects WHERE key = ?", [.text(mutation.key.path)]) { row in
            current = (row.int(0), row.blob(1))
        }
        let type: ChangeKind
        switch (mutation.expectedRevision, current) {
        case (nil, nil): type = .added
        case (nil, .some): throw StorageConflict.alreadyExists(mutation.key)
        case (.some(let expected), .some(let existing)) where expected == existing.revision:
            type = mutation.value == nil ? .deleted : .modified
        case (.some, let existing): throw StorageConflict.revisionMismatch(mutation.key, current: existing?.revision)
        }
        var revision: Int64 = 0
        try db.query("UPDATE stageflow_counters SET value = value + 1 WHERE name = 'revision' RETURNING value") { row in
            revision = row.int(0)
        }
        let eventValue: Data
        if let value = mutation.value {
            try db.query(
                """
                INSERT INTO stageflow_objects (key, resource, namespace, revision, value) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET revision = excluded.revision, value = excluded.value
                """,
                [.text(mutation.key.path), .text(mutation.key.resource), .text(mutation.key.namespace), .integer(revision), .blob(value)])
            eventValue = value
        } else {
            try db.query("DELETE FROM stageflow_objects WHERE key = ?", [.text(mutation.key.path)])
            eventValue = mutation.deletedValue ?? current?.value ?? Data()
        }
        try db.query(
            "INSERT INTO stageflow_events (revision, type, key, value) VALUES (?, ?, ?, ?)",
            [.integer(revision), .text(type.rawValue), .text(mutation.key.path), .blob(eventValue)])
        return revision
    }

    public func events(after revision: Int64, limit: Int) async throws -> [ChangeEvent] {
        try await reader.run { db in
            var events: [ChangeEvent] = []
            try db.query(
                "SELECT revision, type, key, value FROM stageflow_events WHERE revision > ? ORDER BY revision LIMIT ?",
                [.integer(revision), .integer(Int64(limit))]
            ) { row in
                guard let kind = ChangeKind(rawValue: row.text(1)), let key = ObjectKey(path: row.text(2)) else { return }
                events.append(ChangeEvent(revision: row.int(0), kind: kind, key: key, value: row.blob(3)))
            }
            return events
        }
    }

    public func compact(through revision: Int64) async throws {
        try await writer.run { db in
            try db.execute("BEGIN IMMEDIATE")
            do {
                let current = try Self.counter(db, "revision")
                let target = min(revision, current - 1)
                if target > (try Self.counter(db, "compacted")) {
                    try db.query("DELETE FROM stageflow_events WHERE revision <= ?", [.integer(target)])
                    try db.query("UPDATE stageflow_counters SET value = ? WHERE name = 'compacted'", [.integer(target)])
                }
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }

    public func changeSignals() -> AsyncStream<Void> {
        signals.subscribe()
    }

    public func close() async {
        signals.finish()
    }

    private static func counter(_ db: SQLiteConnection, _ name: String) throws -> Int64 {
        var value: Int64 = 0
        try db.query("SELECT value FROM stageflow_counters WHERE name = ?", [.text(name)]) { row in value = row.int(0) }
        return value
    }
}
