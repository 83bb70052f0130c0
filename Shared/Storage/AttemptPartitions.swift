import Foundation
import Logging
import PostgresNIO

/// The daily partitions of `delivery_attempts` (migration 21).
///
/// Attempts are partitioned by `created_at`, one partition per UTC day named
/// `delivery_attempts_YYYYMMDD`, so retention drops a whole day at once instead of deleting rows
/// (no dead rows, no vacuum, almost no WAL). `delivery_attempts_before` holds every attempt older
/// than the first daily partition: the rows from before the migration, and any row stamped earlier
/// than the partitions reach (a clock far behind); retention deletes rows there one batch at a time.
///
/// Partitions are made ahead of time: by the migrator whenever a service starts, and by delivery's
/// history job every hour, `daysAhead` days beyond today. A row dated past the newest partition
/// fails to insert (its message goes back to the queue and is retried), so the window is wide.
public enum AttemptPartitions {
    /// The migration that partitions the table.
    static let migrationVersion = 21

    /// Days beyond today that always have a partition.
    public static let daysAhead = 7

    /// The partition of everything before the first day.
    static let catchAll = "delivery_attempts_before"

    /// Longest a partition change waits for a lock on the table. Creating or dropping a partition
    /// locks `delivery_attempts` for a moment; a change that waits longer (behind a long-running
    /// log query) gives up and is tried again an hour later, instead of making every insert wait
    /// behind it.
    static let lockTimeout = "5s"

    /// Creates the missing daily partitions from the newest one through today + `days_ahead`
    /// (UTC); returns how many it made. Never leaves a gap: after a long stop it fills every day
    /// since the newest partition.
    static let ensureFunction = """
        CREATE OR REPLACE FUNCTION webhooks_attempt_partitions_ensure(days_ahead integer) RETURNS integer
        LANGUAGE plpgsql AS $fn$
        DECLARE
            today timestamptz := date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
            covered timestamptz;
            made integer := 0;
        BEGIN
            SELECT max(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([^'']+)''\\)')::timestamptz) INTO covered
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'delivery_attempts'::regclass;
            covered := coalesce(covered, today);
            WHILE covered < today + make_interval(days => days_ahead + 1) LOOP
                EXECUTE format('CREATE TABLE %I PARTITION OF delivery_attempts FOR VALUES FROM (%L) TO (%L)',
                               'delivery_attempts_' || to_char(covered AT TIME ZONE 'UTC', 'YYYYMMDD'),
                               covered, covered + interval '1 day');
                covered := covered + interval '1 day';
                made := made + 1;
            END LOOP;
            RETURN made;
        END
        $fn$
        """

    /// Migration 21: the table becomes partitioned. The existing table, its rows and its indexes
    /// become the catch-all partition (up to the end of today, UTC; no rows are copied); only its
    /// primary key is rebuilt, as `(id, created_at)`: a partitioned table's unique keys include
    /// the partition key. Ids keep coming from the same sequence.
    static let migration: [String] = [
        "ALTER TABLE delivery_attempts RENAME TO \(catchAll)",
        "ALTER TABLE \(catchAll) DROP CONSTRAINT delivery_attempts_pkey",
        "ALTER INDEX delivery_attempts_created_idx RENAME TO \(catchAll)_created_idx",
        "ALTER INDEX delivery_attempts_task_idx RENAME TO \(catchAll)_task_idx",
        "ALTER INDEX delivery_attempts_webhook_idx RENAME TO \(catchAll)_webhook_idx",
        """
        CREATE TABLE delivery_attempts (LIKE \(catchAll) INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
        PARTITION BY RANGE (created_at)
        """,
        "ALTER SEQUENCE delivery_attempts_id_seq OWNED BY delivery_attempts.id",
        "ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_pkey PRIMARY KEY (id, created_at)",
        // The same indexes as before, each justified in the README ("Indexes"); the catch-all's
        // existing ones are attached, not rebuilt.
        "CREATE INDEX delivery_attempts_webhook_idx ON delivery_attempts (webhook_id, created_at DESC, id DESC)",
        "CREATE INDEX delivery_attempts_task_idx ON delivery_attempts (task_id)",
        "CREATE INDEX delivery_attempts_created_idx ON delivery_attempts (created_at)",
        """
        DO $do$ BEGIN
            EXECUTE format('ALTER TABLE delivery_attempts ATTACH PARTITION \(catchAll) FOR VALUES FROM (MINVALUE) TO (%L)',
                           date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 day');
        END $do$
        """,
        ensureFunction,
    ]

    /// Creates the partitions `daysAhead` days ahead on `connection` (inside the caller's
    /// transaction); returns how many were made.
    static func ensure(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var made = 0
        for try await n in try await connection.query("SELECT webhooks_attempt_partitions_ensure(\(daysAhead)::int4)", logger: logger).decode(Int.self) {
            made = n
        }
        return made
    }

    /// Creates the partitions `daysAhead` days ahead, waiting at most `lockTimeout` for the table;
    /// returns how many were made.
    public static func ensure(_ client: PostgresClient, logger: Logger) async throws(StorageError) -> Int {
        try await storage(deadline: .seconds(60)) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET LOCAL lock_timeout = '\(unescaped: lockTimeout)'", logger: logger)
                return try await ensure(on: connection, logger: logger)
            }
        }
    }

    /// The daily partitions that end at or before `day` (a UTC midnight), oldest first, with
    /// PostgreSQL's estimate of their rows. Never the catch-all.
    static func ending(atOrBefore day: Date, on connection: PostgresConnection, logger: Logger) async throws -> [(name: String, rows: Int)] {
        var out: [(name: String, rows: Int)] = []
        let rows = try await connection.query(
            """
            SELECT c.relname::text, greatest(c.reltuples, 0)::int8
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'delivery_attempts'::regclass AND c.relname <> \(catchAll)
              AND substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \\(''([^'']+)''\\)')::timestamptz <= \(day)
            ORDER BY 1
            """, logger: logger)
        for try await (name, estimate) in rows.decode((String, Int64).self) { out.append((name, Int(estimate))) }
        return out
    }

    /// `name` as an SQL identifier. Partition names are made by `ensureFunction` and read back from
    /// the catalogue; quoted all the same.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `instant`'s UTC day, from its midnight.
    static func day(of instant: Date) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}
