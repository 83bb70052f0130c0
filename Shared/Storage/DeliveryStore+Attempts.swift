import Foundation
import PostgresNIO
import WebhookCore

extension DeliveryStore {
    /// Records a batch of attempts in one statement (one implicit transaction), whatever its size:
    /// the attempt rows, the tasks' new states, and the endpoints' health; then switches off the
    /// endpoints that keep failing (see `AutoDisableRule`) — rare, and safe to do after the commit,
    /// since the counters it reads stay committed and the next failure decides again.
    /// - Returns: per task id, its new schedule version and whether its endpoint was disabled.
    public func recordAttempts(_ records: [AttemptRecord]) async throws(StorageError) -> [Int64: RecordedAttempt] {
        guard !records.isEmpty else { return [:] }
        return try await storage(deadline: Self.deadline) {
            let rows = AttemptRows(records)
            var versions: [Int64: Int] = [:]
            var endpoints: [EndpointHealthRow] = []
            let statement = RecordAttemptsStatement(
                attempts: rows.attemptsJSON, taskIDs: rows.taskIDs, health: rows.healthJSON, webhookIDs: rows.webhookIDs)
            for row in try await run(statement) {
                switch row {
                case .task(let id, let version): versions[id] = version
                case .endpoint(let endpoint): endpoints.append(endpoint)
                }
            }
            let disabled = await disableFailing(endpoints, outcomes: rows.outcomes)
            var result: [Int64: RecordedAttempt] = [:]
            for record in records {
                let taskID = record.attempt.taskId
                result[taskID] = RecordedAttempt(
                    scheduleVersion: versions[taskID] ?? 0,
                    disabledReason: disabled[record.attempt.webhookId])
            }
            return result
        }
    }
}

/// A batch of attempts as JSON record sets (one bind parameter each, NULLs included).
struct AttemptRows {
    let attemptsJSON: String
    let healthJSON: String
    /// The batch's outcomes per endpoint.
    let outcomes: EndpointOutcomes
    /// The batch's tasks and endpoints, so the statements find their rows by primary key.
    let taskIDs: [Int64]
    let webhookIDs: [Int64]

    init(_ records: [AttemptRecord]) {
        var attempts = JSONRecordSet(capacity: records.count * 1024)
        for r in records {
            let a = r.attempt
            attempts.beginRecord()
            attempts.field("task_id", a.taskId)
            attempts.field("webhook_id", a.webhookId)
            attempts.field("event_id", a.eventId)
            attempts.field("event_type", a.eventType)
            attempts.field("attempt", a.attemptNumber)
            attempts.field("request_url", a.requestURL)
            attempts.field("request_headers", a.requestHeaders)
            attempts.field("response_status", a.responseStatus)
            attempts.field("response_headers", a.responseHeaders)
            attempts.field("response_body", a.responseBody)
            attempts.field("duration_ms", a.durationMs)
            attempts.field("error", a.error)
            attempts.field("success", a.success)
            attempts.field("created_at", a.createdAt)
            attempts.field("status", r.status.rawValue)
            attempts.field("next_try_at", r.nextTryAt)
            attempts.endRecord()
        }
        let outcomes = EndpointOutcomes(records)
        var rows = JSONRecordSet()
        for (id, h) in outcomes.sorted {
            rows.beginRecord()
            rows.field("webhook_id", id)
            rows.field("successes", h.successes)
            rows.field("exhausted", h.exhausted)
            rows.field("first_failure", h.firstFailure)
            rows.field("last_error", h.lastError)
            rows.endRecord()
        }
        attemptsJSON = attempts.finish()
        healthJSON = rows.finish()
        self.outcomes = outcomes
        taskIDs = records.map(\.attempt.taskId)
        webhookIDs = outcomes.sorted.map(\.id)
    }
}

/// The attempt batch: inserts the attempts, moves their tasks on and folds the outcomes into each
/// endpoint's health, in one statement (instead of a transaction of two: no round trips for BEGIN
/// and COMMIT). A healthy endpoint that stays healthy is not written (nor locked) at all. Rows: each task's new schedule version, and each endpoint whose health changed.
struct RecordAttemptsStatement: BatchStatement {
    enum Row {
        case task(id: Int64, scheduleVersion: Int)
        case endpoint(EndpointHealthRow)
    }

    static let sql = """
        WITH input AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
                task_id bigint, webhook_id bigint, event_id text, event_type text, attempt int, request_url text,
                request_headers jsonb, response_status int, response_headers jsonb, response_body text,
                duration_ms int, error text, success boolean, created_at timestamptz, status text, next_try_at timestamptz)
        ), tasks AS (
            UPDATE delivery_tasks t SET status = i.status, attempts = t.attempts + 1, next_try_at = i.next_try_at,
                last_status_code = i.response_status, last_error = i.error, last_attempt_at = i.created_at,
                schedule_version = t.schedule_version + (CASE WHEN i.status = 'retry' THEN 1 ELSE 0 END), updated_at = now()
            -- The id list lets the planner use the primary key: joined on the input alone it
            -- hashed a scan of the whole table (44 ms at 55,000 tasks, growing with it).
            FROM input i WHERE t.id = i.task_id AND t.id = ANY($2::bigint[])
            RETURNING t.id, t.schedule_version, t.event_scope
        ), inserted AS (
            -- Only for tasks that still exist (their webhook may have been deleted meanwhile). No
            -- request body: it is the event's, rebuilt when shown (migration 20); the task names the
            -- event's scope, so the attempt finds its event by (event_scope, event_id).
            INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_scope, event_type, attempt, request_url,
                request_headers, response_status, response_headers, response_body, duration_ms, error, success, created_at)
            SELECT i.task_id, i.webhook_id, i.event_id, u.event_scope, i.event_type, i.attempt, i.request_url, i.request_headers,
                i.response_status, i.response_headers, i.response_body, i.duration_ms, i.error, i.success, i.created_at
            FROM input i JOIN tasks u ON u.id = i.task_id
        ), health AS (
            UPDATE webhooks w SET
                last_error = COALESCE(x.last_error, w.last_error),
                consecutive_failed_tasks = CASE WHEN x.successes > 0 THEN x.exhausted ELSE w.consecutive_failed_tasks + x.exhausted END,
                failing_since = CASE WHEN x.successes > 0 THEN NULL ELSE COALESCE(w.failing_since, x.first_failure) END
            FROM jsonb_to_recordset($3::jsonb) AS x(webhook_id bigint, successes int, exhausted int,
                first_failure timestamptz, last_error text)
            WHERE w.id = x.webhook_id AND w.id = ANY($4::bigint[])
              AND NOT (x.successes > 0 AND x.exhausted = 0 AND x.last_error IS NULL
                       AND w.consecutive_failed_tasks = 0 AND w.failing_since IS NULL)
            RETURNING w.id, w.status, w.consecutive_failed_tasks, w.failing_since
        )
        SELECT 0, id, schedule_version, NULL::text, NULL::int, NULL::timestamptz, NULL::timestamptz FROM tasks
        UNION ALL
        SELECT 1, id, NULL::int, status, consecutive_failed_tasks, failing_since, now() FROM health
        """

    /// The attempts as `AttemptRows` wrote them.
    var attempts: String
    var taskIDs: [Int64]
    /// Per endpoint, the batch's outcomes as `AttemptRows` wrote them.
    var health: String
    var webhookIDs: [Int64]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(attempts)
        bindings.append(taskIDs)
        bindings.append(health)
        bindings.append(webhookIDs)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let r = row.makeRandomAccess()
        if try r[0].decode(Int.self) == 0 {
            return .task(id: try r[1].decode(Int64.self), scheduleVersion: try r[2].decode(Int.self))
        }
        return .endpoint(try EndpointHealthRow(r, from: 1))
    }
}
