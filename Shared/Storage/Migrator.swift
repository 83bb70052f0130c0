import Logging
import PostgresNIO

/// Applies pending migrations at start-up. Several services may start at once: a transaction-scoped
/// advisory lock lets one apply them while the others wait and then find nothing to do.
public enum Migrator {
    /// Arbitrary constant naming the lock.
    static let lockKey: Int64 = 0x7765_6268_6f6f_6b73

    /// Brings the schema up to date (or up to version `upTo`: tests of a migration start before it).
    public static func migrate(_ client: PostgresClient, logger: Logger, upTo: Int = .max) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            for migration in Migrations.ordered where !applied.contains(migration.version) && migration.version <= upTo {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                applied.insert(migration.version)
            }
            // Every start makes the attempt partitions of the days ahead (`AttemptPartitions`).
            if applied.contains(AttemptPartitions.migrationVersion) {
                let made = try await AttemptPartitions.ensure(on: connection, logger: logger)
                if made > 0 { logger.info("made delivery attempt partitions", metadata: ["partitions": "\(made)"]) }
            }
        }
    }
}
