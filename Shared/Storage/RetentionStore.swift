import Foundation
import Logging
import PostgresNIO

/// Deletes delivery history older than a cutoff: attempts, finished tasks, and events no task
/// refers to any more. Works in batches (short transactions, no long locks on the hot tables), one
/// replica's batch at a time.
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

    /// Rows deleted by one pass.
    public struct Purged: Sendable, Equatable, CustomStringConvertible {
        public var attempts = 0
        public var tasks = 0
        public var events = 0

        public init(attempts: Int = 0, tasks: Int = 0, events: Int = 0) {
            self.attempts = attempts
            self.tasks = tasks
            self.events = events
        }

        public var description: String { "\(attempts) attempts, \(tasks) tasks, \(events) events" }
    }

    /// The advisory lock a batch holds for its transaction; a replica that cannot take it (another
    /// one is deleting a batch) deletes nothing in that phase and goes on to the next. Not the
    /// migrator's key: a migration and a retention batch do not wait for each other.
    static let lockKey: Int64 = 0x7265_7465_6E74_696F // "retentio"

    /// Longest one batch may take.
    static let deadline: Duration = .seconds(120)

    /// Deletes, in batches of `batchSize` rows: attempts made before `cutoff`; tasks created and
    /// last changed before it that succeeded, failed or were cancelled; events received before it
    /// that no task refers to.
    ///
    /// An attempt does not outlive its event, which the log views rebuild its request body from
    /// (migration 20): an attempt is stamped before its statement moves its task on (`updated_at =
    /// now()`), so a task's attempts are older than its last change; the task goes only once that
    /// change is older than the cutoff, and its attempts, older still, go in the attempts phase of
    /// the same pass or an earlier one; the event goes only once no task refers to it. Two gaps, both
    /// short and shown as a `null` body rather than an error (`AttemptLogStore.columns`): an
    /// attempt's time comes from delivery's clock and `updated_at` from the database's, so clock
    /// skew can leave an attempt just past the cutoff until the next pass; and a replica that finds
    /// another one holding the lock moves on to the next phase while the other is still deleting
    /// attempts.
    public func purge(before cutoff: Date, batchSize: Int = 5_000) async throws(StorageError) -> Purged {
        var purged = Purged()
        // Each phase starts only if the job is not being stopped (a statement under way is not
        // interrupted: `storage` runs it in a task of its own).
        purged.attempts = try await repeatBatches(batchSize) { limit in
            """
            WITH lock AS (SELECT pg_try_advisory_xact_lock(\(Self.lockKey)) AS held),
            doomed AS (
                SELECT id FROM delivery_attempts
                WHERE created_at < \(cutoff) AND (SELECT held FROM lock)
                ORDER BY created_at LIMIT \(limit)),
            deleted AS (DELETE FROM delivery_attempts a USING doomed d WHERE a.id = d.id RETURNING 1)
            SELECT count(*)::int8 FROM deleted
            """
        }
        purged.tasks = try await repeatBatches(batchSize) { limit in
            """
            WITH lock AS (SELECT pg_try_advisory_xact_lock(\(Self.lockKey)) AS held),
            doomed AS (
                SELECT id FROM delivery_tasks
                WHERE created_at < \(cutoff) AND updated_at < \(cutoff) AND status IN ('success', 'failed', 'cancelled')
                  AND (SELECT held FROM lock)
                LIMIT \(limit)),
            -- The conditions again: a task retried by hand meanwhile is re-checked against them
            -- (READ COMMITTED re-reads a row it waited for), and stays.
            deleted AS (
                DELETE FROM delivery_tasks t USING doomed d
                WHERE t.id = d.id AND t.updated_at < \(cutoff) AND t.status IN ('success', 'failed', 'cancelled')
                RETURNING 1)
            SELECT count(*)::int8 FROM deleted
            """
        }
        purged.events = try await repeatBatches(batchSize) { limit in
            """
            WITH lock AS (SELECT pg_try_advisory_xact_lock(\(Self.lockKey)) AS held),
            doomed AS (
                SELECT e.tenant_scope, e.id FROM events e
                WHERE e.received_at < \(cutoff) AND (SELECT held FROM lock)
                  AND NOT EXISTS (SELECT 1 FROM delivery_tasks t WHERE t.event_scope = e.tenant_scope AND t.event_id = e.id)
                LIMIT \(limit)),
            deleted AS (DELETE FROM events e USING doomed d WHERE e.tenant_scope = d.tenant_scope AND e.id = d.id RETURNING 1)
            SELECT count(*)::int8 FROM deleted
            """
        }
        return purged
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
