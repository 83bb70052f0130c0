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
    /// No job has work it may do now: none is queued or running, or each one has `window` tasks
    /// still waiting for an attempt, or is locked by another registry.
    case idle
    /// A batch was committed: the tasks it scheduled, to hand to delivery, and whether the job is
    /// done. Once they are published, `JobStore.markPublished(jobID:marker:)` with `marker` (when set)
    /// says so; until then another registry takes them over after `JobBatch.takeOverAfter`.
    case progressed(jobID: Int64, tasks: [TaskMessage], finished: Bool, marker: Int64?)
    /// The job ended `failed` (`JobStop`).
    case stopped(jobID: Int64, reason: String)
}

extension JobStore {
    /// Runs one batch of the active job that progressed least recently, in one transaction that
    /// holds the job's row lock: the tasks it schedules, its cursor and its counters commit together,
    /// so a job resumed after a crash (by any registry) neither skips nor repeats an event. Jobs take
    /// turns batch by batch, so one tenant's long replay does not hold up another's; a job whose
    /// window is full is passed over until its tasks were attempted.
    ///
    /// A job whose last committed tasks were not marked published for `JobBatch.takeOverAfter` (the
    /// registry that committed them stopped before it published them) is taken over first: its tasks
    /// still waiting for a first attempt get a new schedule version (so a message of theirs still
    /// under way is dropped as superseded) and are returned to be published again.
    /// - Parameters:
    ///   - batchSize: most events (or failed tasks) a batch looks at.
    ///   - window: most tasks of one job waiting for an attempt before it schedules more.
    ///   - selection: which events a replay's webhook gets; throws `JobStop` when it cannot go on.
    public func runBatch(
        batchSize: Int, window: Int, selection: @escaping @Sendable (DeliveryJob) async throws -> ReplaySelection
    ) async throws(StorageError) -> JobBatchOutcome {
        try await storage(deadline: .seconds(60)) { [client, logger] in
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    try await JobBatch(connection: connection, logger: logger, batchSize: batchSize, window: window).run(selection: selection)
                }
            } catch let failure as JobBatch.Failure {
                // Rolled back; counted outside it, and the job goes to the back of the line, so one
                // that keeps failing does not hold up the others (and ends failed in the end).
                let limit = JobBatch.maximumFailures
                _ = try? await client.query(
                    """
                    UPDATE delivery_jobs SET failures = failures + 1, progressed_at = now(), updated_at = now(),
                        status = CASE WHEN failures + 1 >= \(limit) THEN 'failed' ELSE status END,
                        finished_at = CASE WHEN failures + 1 >= \(limit) THEN now() ELSE finished_at END,
                        error = CASE WHEN failures + 1 >= \(limit) THEN \("its batches failed \(limit) times in a row (the registry's log says why)") ELSE error END
                    WHERE id = \(failure.jobID) AND status IN ('queued', 'running')
                    """, logger: logger)
                throw failure.underlying
            }
        }
    }

    /// Records that the tasks of the batch that set `marker` were handed to delivery (nothing when a
    /// takeover replaced the marker meanwhile).
    public func markPublished(jobID: Int64, marker: Int64) async throws(StorageError) {
        _ = try await storage { [client, logger] in
            try await client.query(
                """
                UPDATE delivery_jobs SET unpublished = array_remove(unpublished, \(marker)::bigint)
                WHERE id = \(jobID) AND \(marker)::bigint = ANY(unpublished)
                """, logger: logger)
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
        /// An arrival time as PostgreSQL writes it (`timestamptz::text`): exact to the microsecond,
        /// which a `Date` (a double) is not once encoded again (it can come back a microsecond
        /// earlier, and the cursor would then read its last event a second time).
        var time: String?
        var scope: Int64?
        var key: String?
    }

    /// How long committed tasks may wait to be marked published before another registry takes them over.
    static let takeOverAfter: Duration = .seconds(10)
    /// Batches of one job that may fail in a row before it ends failed.
    static let maximumFailures = 5

    /// A batch of job `jobID` failed (and was rolled back).
    struct Failure: Error {
        let jobID: Int64
        let underlying: any Error
    }

    func run(selection: @Sendable (DeliveryJob) async throws -> ReplaySelection) async throws -> JobBatchOutcome {
        let staleMs = Self.takeOverAfter.components.seconds * 1000
        // A marker older than `takeOverAfter` (markers hold their time in milliseconds, << 16).
        let stale = "EXISTS (SELECT 1 FROM unnest(j.unpublished) m WHERE (m >> 16) < (extract(epoch FROM now()) * 1000)::bigint - \(staleMs))"
        // Active jobs with room in their window, and any job whose last tasks were never marked
        // published. Counting a job's waiting tasks stops at the window (an index range of its own).
        let rows = try await connection.query(
            """
            SELECT \(unescaped: JobStore.columns), cursor_time::text, cursor_scope, cursor_key, \(unescaped: stale),
                   (extract(epoch FROM now()) * 1000)::bigint
            FROM delivery_jobs j
            WHERE (status IN ('queued', 'running')
                   AND (SELECT count(*) FROM (
                           SELECT 1 FROM delivery_tasks t WHERE t.job_id = j.id AND t.status IN ('pending', 'retry') LIMIT \(window)) w) < \(window))
               OR \(unescaped: stale)
            ORDER BY progressed_at NULLS FIRST, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """, logger: logger)
        var picked: (job: DeliveryJob, cursor: Cursor, stale: Bool, nowMs: Int64)?
        for try await row in rows {
            let r = row.makeRandomAccess()
            picked = (
                try JobStore.decode(row),
                Cursor(time: try r[20].decode(String?.self), scope: try r[21].decode(Int64?.self), key: try r[22].decode(String?.self)),
                try r[23].decode(Bool.self), try r[24].decode(Int64.self)
            )
        }
        guard let picked else { return .idle }
        do {
            // A batch's marker: the database's time (so registries' clocks do not matter) and 16 random bits.
            let marker = picked.nowMs << 16 | Int64.random(in: 0...0xFFFF)
            if picked.stale { return try await takeOver(picked.job, marker: marker) }
            return try await advance(picked.job, from: picked.cursor, marker: marker, selection: selection)
        } catch {
            throw Failure(jobID: picked.job.id, underlying: error)
        }
    }

    /// Runs the next batch of `job` from `cursor`.
    func advance(_ job: DeliveryJob, from cursor: Cursor, marker batchMarker: Int64, selection: @Sendable (DeliveryJob) async throws -> ReplaySelection)
        async throws
        -> JobBatchOutcome
    {
        var job = job, cursor = cursor
        if job.status == .queued { job.total = try await start(job) }
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
        // Each batch with tasks adds a marker of its own, removed once its tasks are published.
        let marker: Int64? = step.tasks.isEmpty ? nil : batchMarker
        try await connection.query(
            """
            UPDATE delivery_jobs SET scanned = scanned + \(step.scanned), scheduled = scheduled + \(Int64(step.tasks.count)),
                skipped = skipped + \(step.scanned - Int64(step.tasks.count)),
                cursor_time = \(cursor.time)::timestamptz, cursor_scope = \(cursor.scope), cursor_key = \(cursor.key),
                status = \(step.finished ? "completed" : "running"), finished_at = CASE WHEN \(step.finished) THEN now() END,
                progressed_at = now(), updated_at = now(), failures = 0,
                unpublished = CASE WHEN \(marker)::bigint IS NULL THEN unpublished ELSE array_append(unpublished, \(marker)::bigint) END
            WHERE id = \(job.id)
            """, logger: logger)
        return .progressed(jobID: job.id, tasks: step.tasks, finished: step.finished, marker: marker)
    }

    /// Publishes again what a stopped registry committed but may not have published: the job's tasks
    /// still waiting for a first attempt, each with a new schedule version.
    func takeOver(_ job: DeliveryJob, marker: Int64) async throws -> JobBatchOutcome {
        let rows = try await connection.query(
            """
            UPDATE delivery_tasks SET schedule_version = schedule_version + 1, updated_at = now()
            WHERE job_id = \(job.id) AND status IN ('pending', 'retry') AND attempts = 0
            RETURNING id, schedule_version, webhook_id
            """, logger: logger)
        var tasks: [TaskMessage] = []
        for try await (id, version, webhook) in rows.decode((Int64, Int, Int64).self) {
            tasks.append(TaskMessage(taskID: id, version: version, webhookID: webhook))
        }
        // Every earlier marker is covered by this republication.
        try await connection.query(
            """
            UPDATE delivery_jobs SET unpublished = ARRAY[\(marker)::bigint], progressed_at = now()
            WHERE id = \(job.id)
            """, logger: logger)
        logger.info("job taken over: publishing its waiting tasks again", metadata: ["job_id": "\(job.id)", "tasks": "\(tasks.count)"])
        return .progressed(jobID: job.id, tasks: tasks.sorted { $0.taskID < $1.taskID }, finished: false, marker: marker)
    }

    /// What a batch looked at and scheduled, and where the job goes on.
    struct Step {
        var scanned: Int64
        var tasks: [TaskMessage]
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
                WHERE t.status = 'failed' AND t.created_at >= \(r.since) AND t.created_at < \(r.until) AND w.status = 'active'
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

    /// The event scopes a replay reads, in order: its tenant's, then the tenant-less events (which
    /// every tenant's webhooks receive).
    static func scopes(of request: JobRequest) -> [Int64] {
        guard let tenant = request.tenantId, tenant != -1 else { return [-1] }
        return [tenant, -1]
    }
}
