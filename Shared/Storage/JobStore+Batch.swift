import Foundation
import PostgresNIO
import WebhookCore

/// Which of a replay's events its webhook gets (its types, scope, pattern and filter, and the job's
/// type list): made once per batch by the runner from the webhook as it is now.
public struct ReplaySelection: Sendable {
    let selects: @Sendable (Event) -> Bool

    public init(_ selects: @escaping @Sendable (Event) -> Bool) { self.selects = selects }
}

/// Why a job cannot go on (its webhook was deleted or disabled): it ends `failed` with this text.
public struct JobStop: Error, Sendable, Equatable {
    public var reason: String

    public init(reason: String) { self.reason = reason }
}

/// What one call of `JobStore.runBatch` did.
public enum JobBatchOutcome: Sendable, Equatable {
    /// No job is queued or running (or every one is locked by another registry).
    case idle
    /// The job picked has `window` tasks still to be attempted; it waits, the others go first.
    case waiting(jobID: Int64)
    /// A batch was committed: the tasks it scheduled (to hand to delivery), and whether the job is done.
    case progressed(jobID: Int64, taskIDs: [Int64], finished: Bool)
    /// The job ended `failed` (`JobStop`).
    case stopped(jobID: Int64, reason: String)
}

extension JobStore {
    /// Runs one batch of the active job that progressed least recently, in one transaction that
    /// holds the job's row lock: the tasks it schedules, its cursor and its counters commit together,
    /// so a job resumed after a crash (by any registry) neither skips nor repeats an event. Jobs take
    /// turns batch by batch, so one tenant's long replay does not hold up another's.
    /// - Parameters:
    ///   - batchSize: most events (or failed tasks) a batch looks at.
    ///   - window: most tasks of one job waiting for an attempt before it schedules more.
    ///   - selection: which events a replay's webhook gets; throws `JobStop` when it cannot go on.
    public func runBatch(
        batchSize: Int, window: Int, selection: @escaping @Sendable (DeliveryJob) async throws -> ReplaySelection
    ) async throws(StorageError) -> JobBatchOutcome {
        try await storage(deadline: .seconds(60)) { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                try await JobBatch(connection: connection, logger: logger, batchSize: batchSize, window: window).run(selection: selection)
            }
        }
    }
}

/// One batch of one job, on the connection of its transaction.
struct JobBatch {
    let connection: PostgresConnection
    let logger: Logger
    let batchSize: Int
    let window: Int

    /// The job's cursor: the scope being read and the last (arrival, id) of a replay, or the last
    /// task id of a recovery.
    struct Cursor {
        var time: Date?
        var scope: Int64?
        var key: String?
    }

    func run(selection: @Sendable (DeliveryJob) async throws -> ReplaySelection) async throws -> JobBatchOutcome {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: JobStore.columns), cursor_time, cursor_scope, cursor_key FROM delivery_jobs
            WHERE status IN ('queued', 'running') ORDER BY progressed_at NULLS FIRST, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """, logger: logger)
        var picked: (DeliveryJob, Cursor)?
        for try await row in rows {
            let r = row.makeRandomAccess()
            picked = (
                try JobStore.decode(row),
                Cursor(time: try r[20].decode(Date?.self), scope: try r[21].decode(Int64?.self), key: try r[22].decode(String?.self))
            )
        }
        guard var (job, cursor) = picked else { return .idle }
        if job.status == .queued { job.total = try await start(job) }
        if try await outstanding(job.id) >= window {
            try await connection.query("UPDATE delivery_jobs SET progressed_at = now() WHERE id = \(job.id)", logger: logger)
            return .waiting(jobID: job.id)
        }
        let step: Step
        switch job.request.kind {
        case .replay:
            let selects: ReplaySelection
            do {
                selects = try await selection(job)
            } catch let stop as JobStop {
                try await connection.query(
                    """
                    UPDATE delivery_jobs SET status = 'failed', error = \(stop.reason), finished_at = now(), progressed_at = now(), updated_at = now()
                    WHERE id = \(job.id)
                    """, logger: logger)
                return .stopped(jobID: job.id, reason: stop.reason)
            }
            step = try await replay(job, from: cursor, selects)
        case .recover:
            step = try await recover(job, after: cursor)
        }
        cursor = step.cursor
        try await connection.query(
            """
            UPDATE delivery_jobs SET scanned = scanned + \(step.scanned), scheduled = scheduled + \(Int64(step.taskIDs.count)),
                skipped = skipped + \(step.scanned - Int64(step.taskIDs.count)),
                cursor_time = \(cursor.time), cursor_scope = \(cursor.scope), cursor_key = \(cursor.key),
                status = \(step.finished ? "completed" : "running"), finished_at = CASE WHEN \(step.finished) THEN now() END,
                progressed_at = now(), updated_at = now()
            WHERE id = \(job.id)
            """, logger: logger)
        return .progressed(jobID: job.id, taskIDs: step.taskIDs, finished: step.finished)
    }

    /// What a batch looked at and scheduled, and where the job goes on.
    struct Step {
        var scanned: Int64
        var taskIDs: [Int64]
        var cursor: Cursor
        var finished: Bool
    }

    /// Marks the job running and counts what its range holds.
    func start(_ job: DeliveryJob) async throws -> Int64 {
        let r = job.request
        let count: PostgresQuery
        switch r.kind {
        case .replay:
            count = """
                SELECT count(*) FROM events
                WHERE tenant_scope = ANY(\(Self.scopes(of: r))::bigint[]) AND received_at >= \(r.since) AND received_at < \(r.until)
                """
        case .recover:
            count = """
                SELECT count(*) FROM delivery_tasks t JOIN webhooks w ON w.id = t.webhook_id
                WHERE t.status = 'failed' AND t.created_at >= \(r.since) AND t.created_at < \(r.until)
                  AND (\(r.webhookId)::bigint IS NULL OR t.webhook_id = \(r.webhookId))
                  AND (\(r.tenantId)::bigint IS NULL OR w.tenant_id = \(r.tenantId))
                """
        }
        var total: Int64 = 0
        for try await n in try await connection.query(count, logger: logger).decode(Int64.self) { total = n }
        try await connection.query(
            "UPDATE delivery_jobs SET status = 'running', total = \(total), started_at = now() WHERE id = \(job.id)", logger: logger)
        return total
    }

    /// Tasks the job scheduled that still wait for an attempt.
    func outstanding(_ jobID: Int64) async throws -> Int {
        var n = 0
        for try await count in try await connection.query(
            "SELECT count(*) FROM delivery_tasks WHERE job_id = \(jobID) AND status IN ('pending', 'retry')", logger: logger
        ).decode(Int.self) { n = count }
        return n
    }

    /// The event scopes a replay reads, in order: its tenant's, then the tenant-less events (which
    /// every tenant's webhooks receive).
    static func scopes(of request: JobRequest) -> [Int64] {
        guard let tenant = request.tenantId, tenant != -1 else { return [-1] }
        return [tenant, -1]
    }
}
