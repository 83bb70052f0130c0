import Foundation
import Logging
import PostgresNIO

/// Deletes delivery history older than a cutoff's UTC day: attempts (whole daily partitions, see
/// `AttemptPartitions`), finished tasks, and events no task refers to any more. Rows are deleted
/// in batches (short transactions, no long locks on the hot tables), one replica's batch at a time.
///
/// What stays whatever its age: tasks still pending or retrying, and the events of tasks that stay.
/// An event id deleted here is forgotten: the same id published again fans out again.
public struct RetentionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// What one pass deleted.
    public struct Purged: Sendable, Equatable, CustomStringConvertible {
        /// Attempts deleted: rows deleted one by one, plus PostgreSQL's estimate of the rows of
        /// the partitions dropped.
        public var attempts = 0
        /// Daily attempt partitions dropped.
        public var attemptPartitions = 0
        public var tasks = 0
        public var events = 0
        /// Replay and recovery jobs that ended before the cutoff.
        public var jobs = 0

        public init(attempts: Int = 0, attemptPartitions: Int = 0, tasks: Int = 0, events: Int = 0) {
            self.attempts = attempts
            self.attemptPartitions = attemptPartitions
            self.tasks = tasks
            self.events = events
        }

        public var description: String {
            "\(attempts) attempts (\(attemptPartitions) daily partitions), \(tasks) tasks, \(events) events, \(jobs) jobs"
        }
    }

    /// The advisory lock a batch holds for its transaction; a replica that cannot take it (another
    /// one is deleting a batch) deletes nothing in that phase and goes on to the next. Not the
    /// migrator's key: a migration and a retention batch do not wait for each other.
    static let lockKey: Int64 = 0x7265_7465_6E74_696F  // "retentio"

    /// Longest one batch may take.
    static let deadline: Duration = .seconds(120)

    /// Deletes what is older than the UTC day of `cutoff` (retention works in whole days, since
    /// attempts are partitioned by day): the daily attempt partitions that end by then, dropped
    /// whole; older attempts in the catch-all partition, in batches of `batchSize` rows; tasks
    /// created and last changed before then that succeeded, failed or were cancelled; events
    /// received before then that no task refers to.
    ///
    /// An attempt does not outlive its event, which the log views rebuild its request body from
    /// (migration 20): an attempt is stamped before its statement moves its task on (`updated_at =
    /// now()`), so a task's attempts are older than its last change; the task goes only once that
    /// change is older than the day, and its attempts, older still, are in a partition that ends by
    /// then or in the catch-all, and go in the attempts phase of the same pass or an earlier one
    /// (a pass whose partitions cannot be dropped stops there, before tasks and events); the event
    /// goes only once no task refers to it. Two gaps, both short and shown as a `null` body rather
    /// than an error (`AttemptLogStore.columns`): an attempt's time comes from delivery's clock and
    /// `updated_at` from the database's, so clock skew can leave an attempt just past the day until
    /// the next pass; and a replica that finds another one holding the lock moves on to the next
    /// phase while the other is still deleting attempts.
    public func purge(before cutoff: Date, batchSize: Int = 5_000) async throws(StorageError) -> Purged {
        let day = AttemptPartitions.day(of: cutoff)
        var purged = Purged()
        (purged.attemptPartitions, purged.attempts) = try await dropAttemptPartitions(endingBy: day)
        // Each phase starts only if the job is not being stopped (a statement under way is not
        // interrupted: `storage` runs it in a task of its own).
        purged.attempts += try await repeatBatches(batchSize) { limit in
            """
            WITH lock AS (SELECT pg_try_advisory_xact_lock(\(Self.lockKey)) AS held),
            doomed AS (
                SELECT id, created_at FROM \(unescaped: AttemptPartitions.catchAll)
                WHERE created_at < \(day) AND (SELECT held FROM lock)
                ORDER BY created_at LIMIT \(limit)),
            deleted AS (
                DELETE FROM \(unescaped: AttemptPartitions.catchAll) a USING doomed d
                WHERE a.id = d.id AND a.created_at = d.created_at RETURNING 1)
            SELECT count(*)::int8 FROM deleted
            """
        }
        purged.tasks = try await repeatBatches(batchSize) { limit in
            """
            WITH lock AS (SELECT pg_try_advisory_xact_lock(\(Self.lockKey)) AS held),
            doomed AS (
                SELECT id FROM delivery_tasks
                WHERE created_at < \(day) AND updated_at < \(day) AND status IN ('success', 'failed', 'cancelled')
                  AND (SELECT held FROM lock)
                LIMIT \(limit)),
            -- The conditions again: a task retried by hand meanwhile is re-checked against them
            -- (READ COMMITTED re-reads a row it waited for), and stays.
            deleted AS (
                DELETE FROM delivery_tasks t USING doomed d
                WHERE t.id = d.id AND t.updated_at < \(day) AND t.status IN ('success', 'failed', 'cancelled')
                RETURNING 1)
            SELECT count(*)::int8 FROM deleted
            """
        }
        purged.events = try await repeatBatches(batchSize) { limit in
            """
            WITH lock AS (SELECT pg_try_advisory_xact_lock(\(Self.lockKey)) AS held),
            doomed AS (
                SELECT e.tenant_scope, e.id FROM events e
                WHERE e.received_at < \(day) AND (SELECT held FROM lock)
                  AND NOT EXISTS (SELECT 1 FROM delivery_tasks t WHERE t.event_scope = e.tenant_scope AND t.event_id = e.id)
                LIMIT \(limit)),
            deleted AS (DELETE FROM events e USING doomed d WHERE e.tenant_scope = d.tenant_scope AND e.id = d.id RETURNING 1)
            SELECT count(*)::int8 FROM deleted
            """
        }
        purged.jobs = try await repeatBatches(batchSize) { limit in
            """
            WITH doomed AS (
                SELECT id FROM delivery_jobs WHERE finished_at < \(day) AND status NOT IN ('queued', 'running') LIMIT \(limit)),
            deleted AS (DELETE FROM delivery_jobs j USING doomed d WHERE j.id = d.id RETURNING 1)
            SELECT count(*)::int8 FROM deleted
            """
        }
        return purged
    }

    /// Drops the daily attempt partitions that end by `day`, in one transaction holding the
    /// retention lock (nothing when another replica holds it); returns how many, and their rows
    /// by PostgreSQL's estimate.
    /// - Throws: when a partition cannot be dropped, e.g. its table lock is not granted within
    ///   `AttemptPartitions.lockTimeout`; the job tries again at its next pass.
    private func dropAttemptPartitions(endingBy day: Date) async throws(StorageError) -> (partitions: Int, rows: Int) {
        let client = self.client, logger = self.logger
        return try await storage(deadline: Self.deadline) {
            try await client.withTransaction(logger: logger) { connection in
                var held = false
                for try await h in try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.lockKey))", logger: logger).decode(Bool.self) {
                    held = h
                }
                guard held else { return (0, 0) }
                try await connection.query("SET LOCAL lock_timeout = '\(unescaped: AttemptPartitions.lockTimeout)'", logger: logger)
                let doomed = try await AttemptPartitions.ending(atOrBefore: day, on: connection, logger: logger)
                for partition in doomed {
                    try await connection.query("DROP TABLE \(unescaped: AttemptPartitions.quoted(partition.name))", logger: logger)
                }
                return (doomed.count, doomed.reduce(0) { $0 + $1.rows })
            }
        }
    }

    /// Runs the statement `query(limit)` until a batch deletes fewer than `limit` rows; returns
    /// the rows deleted in all.
    private func repeatBatches(_ limit: Int, _ query: @escaping @Sendable (Int) -> PostgresQuery) async throws(StorageError) -> Int {
        var total = 0
        while !Task.isCancelled {
            let client = self.client, logger = self.logger
            let deleted = try await storage(deadline: Self.deadline) {
                var count: Int64 = 0
                for try await n in try await client.query(query(limit), logger: logger).decode(Int64.self) { count = n }
                return Int(count)
            }
            total += deleted
            if deleted < limit { break }
        }
        return total
    }
}
