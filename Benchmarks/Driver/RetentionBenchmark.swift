import Foundation
import Logging
import PostgresNIO
import Storage

/// Retention at scale, both ways in one run on the same rows: `rows` delivery attempts spread
/// evenly over `days` days, of which the days past `keepDays` are deleted.
///
/// - **row deletes**: the statement retention ran before attempts were partitioned (batches of
///   5,000 rows, oldest first, through the `created_at` index), on an unpartitioned table with the
///   same columns and indexes, followed by the `VACUUM` that the deleted rows leave to autovacuum;
/// - **partition drops**: `RetentionStore.purge` on the partitioned table (migration 21), its
///   daily partitions reaching back `days` days as after that long in production.
///
/// Each runs in a database of its own, made and dropped here. Figures: seconds, PostgreSQL's CPU
/// seconds, and WAL bytes written (what replicas and backups must also carry).
enum RetentionBenchmark {
    static func run(databaseURL: String, rows: Int, days: Int, keepDays: Int, watch: ProcessWatch?) async throws -> [ScenarioResult] {
        var logger = Logger(label: "bench-retention")
        logger.logLevel = .warning
        let name = "bench_retention_\(getpid())"
        let admin = try Database(url: databaseURL, logger: logger, maximumConnections: 1)
        let adminRun = Task { await admin.client.run() }
        defer { adminRun.cancel() }
        try await admin.client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
        try await admin.client.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        var url = URLComponents(string: databaseURL)!
        url.path = "/" + name
        let database = try Database(url: url.string!, logger: logger, maximumConnections: 2)
        let runs = database.clients.map { client in Task { await client.run() } }
        defer { runs.forEach { $0.cancel() } }
        do {
            let results = try await measure(database, rows: rows, days: days, keepDays: keepDays, watch: watch, logger: logger)
            try await admin.client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
            return results
        } catch {
            try? await admin.client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
            throw error
        }
    }

    private static func measure(
        _ database: Database, rows: Int, days: Int, keepDays: Int, watch: ProcessWatch?,
        logger: Logger
    ) async throws -> [ScenarioResult] {
        let client = database.client
        try await Migrator.migrate(client, logger: logger)
        // Daily partitions back to `days` days ago, as after that long in production: the catch-all
        // (empty on a new database) is made again to end there.
        try await client.query("DROP TABLE delivery_attempts_before", logger: logger)
        try await client.query(
            """
            DO $$ DECLARE today timestamptz := date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'; d int; BEGIN
                EXECUTE format('CREATE TABLE delivery_attempts_before PARTITION OF delivery_attempts FOR VALUES FROM (MINVALUE) TO (%L)',
                               today - make_interval(days => \(unescaped: String(days + 1))));
                FOR d IN REVERSE \(unescaped: String(days + 1))..1 LOOP
                    EXECUTE format('CREATE TABLE %I PARTITION OF delivery_attempts FOR VALUES FROM (%L) TO (%L)',
                                   'delivery_attempts_' || to_char((today - make_interval(days => d)) AT TIME ZONE 'UTC', 'YYYYMMDD'),
                                   today - make_interval(days => d), today - make_interval(days => d - 1));
                END LOOP;
                EXECUTE format('CREATE TABLE %I PARTITION OF delivery_attempts FOR VALUES FROM (%L) TO (%L)',
                               'delivery_attempts_' || to_char(today AT TIME ZONE 'UTC', 'YYYYMMDD'), today, today + interval '1 day');
            END $$
            """, logger: logger)
        // The unpartitioned table of before, with the same indexes.
        try await client.query(
            """
            CREATE TABLE attempts_unpartitioned (LIKE delivery_attempts INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
            """, logger: logger)
        for sql in [
            "ALTER TABLE attempts_unpartitioned ADD PRIMARY KEY (id)",
            "CREATE INDEX ON attempts_unpartitioned (webhook_id, created_at DESC, id DESC)",
            "CREATE INDEX ON attempts_unpartitioned (task_id)",
            "CREATE INDEX ON attempts_unpartitioned (created_at)",
        ] { try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
        // The same rows in both, spread evenly over the days, as delivery writes them (a signed
        // request's headers, a short response).
        let span = Double(days * 86_400)
        for table in ["delivery_attempts", "attempts_unpartitioned"] {
            try await client.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO \(table) (task_id, webhook_id, event_id, event_scope, event_type, attempt, request_url, request_headers,
                            response_status, response_headers, response_body, duration_ms, success, created_at)
                        SELECT g, g % 1000, 'evt-' || g, 1, 'bench.retention', 1, 'http://127.0.0.1:9/hook',
                               '{"content-type":"application/json","webhook-id":"msg_0123456789abcdef0123456789abcdef","webhook-timestamp":"1765000000","webhook-signature":"v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="}',
                               200, '{"content-length":"0"}', '', 3, true,
                               now() - (g * (\(span) / \(rows))) * interval '1 second'
                        FROM generate_series(1, \(rows)) g
                        """), logger: logger)
        }
        try await client.query("VACUUM ANALYZE", logger: logger)
        let cutoff = Date().addingTimeInterval(-Double(keepDays * 86_400))
        let day = Date(timeIntervalSince1970: (cutoff.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)

        var results: [ScenarioResult] = []
        // Before: batches of row deletes, then the vacuum they leave behind.
        var deleted = 0
        let before = try await Sample.take(client, watch, logger)
        while true {
            var n = 0
            for try await count in try await client.query(
                """
                WITH doomed AS (SELECT id FROM attempts_unpartitioned WHERE created_at < \(day) ORDER BY created_at LIMIT 5000),
                deleted AS (DELETE FROM attempts_unpartitioned a USING doomed d WHERE a.id = d.id RETURNING 1)
                SELECT count(*)::int8 FROM deleted
                """, logger: logger
            ).decode(Int64.self) { n = Int(count) }
            deleted += n
            if n < 5000 { break }
        }
        let deletedAt = try await Sample.take(client, watch, logger)
        try await client.query("VACUUM attempts_unpartitioned", logger: logger)
        let vacuumed = try await Sample.take(client, watch, logger)
        results.append(
            ScenarioResult(
                scenario: "retention: row deletes (unpartitioned, as before), \(rows) attempts over \(days) days, keeping \(keepDays)",
                figures: before.figures(to: deletedAt, prefix: "delete").merging(deletedAt.figures(to: vacuumed, prefix: "vacuum")) { a, _ in a }
                    .merging(["rows deleted": Double(deleted)]) { a, _ in a },
                notes: ["DELETE in batches of 5,000 through the created_at index, then VACUUM of the dead rows"]))

        // After: whole days dropped.
        let start = try await Sample.take(client, watch, logger)
        let purged = try await database.retention.purge(before: cutoff)
        let end = try await Sample.take(client, watch, logger)
        var left = 0
        for try await n in try await client.query("SELECT count(*)::int8 FROM delivery_attempts WHERE created_at < \(day)", logger: logger)
            .decode(Int64.self)
        { left = Int(n) }
        guard left == 0, purged.attemptPartitions > 0 else {
            throw BenchError.failed("retention left \(left) rows older than the cutoff day (\(purged))")
        }
        results.append(
            ScenarioResult(
                scenario: "retention: partition drops (RetentionStore.purge), the same \(rows) attempts over \(days) days, keeping \(keepDays)",
                figures: start.figures(to: end, prefix: "purge").merging([
                    "partitions dropped": Double(purged.attemptPartitions), "rows dropped (estimate)": Double(purged.attempts),
                ]) { a, _ in a },
                notes: ["drops every daily partition that ends by the cutoff's day: no dead rows, nothing for vacuum"]))
        return results
    }

    /// Time, PostgreSQL's CPU and the WAL position at one instant.
    struct Sample {
        let at: ContinuousClock.Instant
        let cpu: ProcessWatch.Reading?
        let wal: Int64

        static func take(_ client: PostgresClient, _ watch: ProcessWatch?, _ logger: Logger) async throws -> Sample {
            var wal: Int64 = 0
            for try await n in try await client.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::int8", logger: logger)
                .decode(Int64.self)
            { wal = n }
            return Sample(at: .now, cpu: watch?.read(), wal: wal)
        }

        func figures(to end: Sample, prefix: String) -> [String: Double] {
            var out = [
                "\(prefix) seconds": ((end.at - at).seconds * 1000).rounded() / 1000,
                "\(prefix) WAL MiB": (Double(end.wal - wal) / 1_048_576 * 10).rounded() / 10,
            ]
            if let from = cpu?.cpuSeconds["postgres"], let to = end.cpu?.cpuSeconds["postgres"] {
                out["\(prefix) cpu postgres (s)"] = ((to - from) * 1000).rounded() / 1000
            }
            return out
        }
    }
}
