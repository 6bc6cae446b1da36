/// The SQL of the PostgreSQL backend: tables, the write and compaction functions, and the statements it runs.
///
/// Layout, as kine's: `stageflow_objects` holds the current state keyed by key path (`resource/namespace/name`,
/// `"C"` collation so the primary key orders like `ObjectKey`, and a LIST is a range scan of it);
/// `stageflow_events` is the revision log keyed by revision; `stageflow_counters` holds the `revision` row, whose
/// row lock serialises writers, and the `compacted` row, kept apart so compaction never blocks writes.
enum PostgresSchema {
    /// Channel of the NOTIFY sent with each write; the payload is the revision.
    static let channel = "stageflow_events"

    /// Creates whatever is missing and replaces the functions, in one transaction (the statements go as one
    /// simple query); an advisory lock keeps concurrent starts apart.
    static let prepare = """
        SELECT pg_advisory_xact_lock(5417440953201856001);
        CREATE TABLE IF NOT EXISTS stageflow_objects (
            key text COLLATE "C" PRIMARY KEY,
            resource text NOT NULL,
            namespace text NOT NULL,
            revision bigint NOT NULL,
            value bytea NOT NULL
        ) WITH (fillfactor = 80);
        CREATE TABLE IF NOT EXISTS stageflow_events (
            revision bigint PRIMARY KEY,
            type text NOT NULL,
            key text NOT NULL,
            value bytea NOT NULL
        );
        CREATE TABLE IF NOT EXISTS stageflow_counters (
            name text PRIMARY KEY,
            value bigint NOT NULL
        ) WITH (fillfactor = 50);
        INSERT INTO stageflow_counters (name, value) VALUES ('revision', 0), ('compacted', 0)
            ON CONFLICT (name) DO NOTHING;

        CREATE OR REPLACE FUNCTION stageflow_write(
            p_keys text[], p_resources text[], p_namespaces text[], p_expected bigint[], p_values bytea[],
            p_deleted bytea[])
        RETURNS TABLE (result_index integer, result_status integer, result_revision bigint)
        LANGUAGE plpgsql AS $function$
        DECLARE
            first_revision bigint;
            next_revision bigint;
            found_revision bigint;
            found_value bytea;
            change text;
        BEGIN
            -- The counter's row lock, held until commit, serialises writers: they commit in revision order and
            -- no reader sees revision N+1 before N.
            SELECT value INTO first_revision FROM stageflow_counters WHERE name = 'revision' FOR UPDATE;
            next_revision := first_revision;
            FOR i IN 1 .. COALESCE(array_length(p_keys, 1), 0) LOOP
                result_index := i;
                SELECT o.revision, o.value INTO found_revision, found_value FROM stageflow_objects o WHERE o.key = p_keys[i];
                IF (p_expected[i] IS NULL AND FOUND)
                    OR (p_expected[i] IS NOT NULL AND (NOT FOUND OR found_revision <> p_expected[i])) THEN
                    -- Refused: no revision is taken, so the log has no gaps.
                    result_status := CASE WHEN p_expected[i] IS NULL THEN 1 ELSE 2 END;
                    result_revision := found_revision;
                    RETURN NEXT;
                    CONTINUE;
                END IF;
                next_revision := next_revision + 1;
                IF p_values[i] IS NULL THEN
                    change := CASE WHEN p_expected[i] IS NULL THEN 'ADDED' ELSE 'DELETED' END;
                    DELETE FROM stageflow_objects WHERE key = p_keys[i];
                ELSIF p_expected[i] IS NULL THEN
                    change := 'ADDED';
                    INSERT INTO stageflow_objects (key, resource, namespace, revision, value)
                        VALUES (p_keys[i], p_resources[i], p_namespaces[i], next_revision, p_values[i]);
                ELSE
                    change := 'MODIFIED';
                    UPDATE stageflow_objects SET revision = next_revision, value = p_values[i] WHERE key = p_keys[i];
                END IF;
                INSERT INTO stageflow_events (revision, type, key, value)
                    VALUES (next_revision, change, p_keys[i], COALESCE(p_values[i], p_deleted[i], found_value, ''::bytea));
                result_status := 0;
                result_revision := next_revision;
                RETURN NEXT;
            END LOOP;
            IF next_revision > first_revision THEN
                UPDATE stageflow_counters SET value = next_revision WHERE name = 'revision';
                PERFORM pg_notify('stageflow_events', next_revision::text);
            END IF;
        END
        $function$;

        CREATE OR REPLACE FUNCTION stageflow_compact(p_through bigint) RETURNS bigint
        LANGUAGE plpgsql AS $function$
        DECLARE
            done bigint;
            target bigint;
        BEGIN
            SELECT value INTO done FROM stageflow_counters WHERE name = 'compacted' FOR UPDATE;
            -- The newest event always stays, so the log never looks empty after compaction.
            SELECT LEAST(p_through, value - 1) INTO target FROM stageflow_counters WHERE name = 'revision';
            IF target <= done THEN
                RETURN done;
            END IF;
            DELETE FROM stageflow_events WHERE revision <= target;
            UPDATE stageflow_counters SET value = target WHERE name = 'compacted';
            RETURN target;
        END
        $function$;
        """

    /// Status codes of `stageflow_write`.
    enum WriteStatus: Int64 {
        case written = 0
        case alreadyExists = 1
        case revisionMismatch = 2
    }

    /// A batch of compare-and-swap writes, applied in order in one transaction (parallel arrays: keys, resources,
    /// namespaces, expected revisions, values, deleted values): one row per write with its 1-based index, its
    /// status and its revision (for a refusal, the object's current one).
    static let write = """
        SELECT result_index, result_status, result_revision FROM stageflow_write($1, $2, $3, $4, $5, $6)
        """

    /// Compacts the log; returns the compacted revision.
    static let compact = "SELECT stageflow_compact($1)"

    /// Reads a counter: `$1` is `revision` or `compacted`.
    static let counter = "SELECT value FROM stageflow_counters WHERE name = $1"

    /// One object by key path.
    static let get = "SELECT revision, value FROM stageflow_objects WHERE key = $1"

    /// A page of one resource in one snapshot: every row carries the current revision, and a LEFT JOIN keeps one
    /// row (with NULL object columns) when the page is empty. `$1 < key < $2` is the key range of the resource.
    static let listAll = """
        SELECT c.value, o.key, o.revision, o.value
        FROM stageflow_counters c
        LEFT JOIN LATERAL (
            SELECT key, revision, value FROM stageflow_objects
            WHERE key > $1 AND key < $2 AND resource = $3
            ORDER BY key LIMIT $4
        ) o ON true
        WHERE c.name = 'revision'
        ORDER BY o.key
        """

    /// As `listAll`, within one namespace (`$5`).
    static let listNamespace = """
        SELECT c.value, o.key, o.revision, o.value
        FROM stageflow_counters c
        LEFT JOIN LATERAL (
            SELECT key, revision, value FROM stageflow_objects
            WHERE key > $1 AND key < $2 AND resource = $3 AND namespace = $5
            ORDER BY key LIMIT $4
        ) o ON true
        WHERE c.name = 'revision'
        ORDER BY o.key
        """

    /// Log entries after `$1`, oldest first, at most `$2`.
    static let events = "SELECT revision, type, key, value FROM stageflow_events WHERE revision > $1 ORDER BY revision LIMIT $2"
}
