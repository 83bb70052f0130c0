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
            let columns = AttemptColumns(records)
            var versions: [Int64: Int] = [:]
            var endpoints: [EndpointHealthRow] = []
            for row in try await run(RecordAttemptsStatement(columns: columns)) {
                switch row {
                case .task(let id, let version): versions[id] = version
                case .endpoint(let endpoint): endpoints.append(endpoint)
                }
            }
            let disabled = await disableFailing(endpoints, outcomes: columns.outcomes)
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

/// A batch of attempts as the columns `RecordAttemptsStatement` binds: one array per column (binary,
/// NULLs included), read back as rows with `unnest` — no JSON to write or for PostgreSQL to parse.
struct AttemptColumns {
    var taskIDs: [Int64] = [], webhookIDs: [Int64] = [], eventIDs: [String?] = [], eventTypes: [String?] = [], attempts: [Int] = []
    var urls: [String?] = [], requestHeaders: [String?] = [], statusCodes: [Int?] = [], responseHeaders: [String?] = []
    var responseBodies: [String?] = [], durations: [Int] = [], errors: [String?] = [], successes: [Bool] = []
    var createdAt: [Date?] = [], statuses: [String?] = [], nextTryAt: [Date?] = []
    /// The batch's outcomes per endpoint.
    let outcomes: EndpointOutcomes

    init(_ records: [AttemptRecord]) {
        for r in records {
            let a = r.attempt
            taskIDs.append(a.taskId)
            webhookIDs.append(a.webhookId)
            eventIDs.append(a.eventId)
            eventTypes.append(a.eventType)
            attempts.append(a.attemptNumber)
            urls.append(a.requestURL)
            requestHeaders.append(JSONRecordSet.object(a.requestHeaders))
            statusCodes.append(a.responseStatus)
            responseHeaders.append(JSONRecordSet.object(a.responseHeaders))
            responseBodies.append(a.responseBody)
            durations.append(a.durationMs)
            errors.append(a.error)
            successes.append(a.success)
            createdAt.append(a.createdAt)
            statuses.append(r.status.rawValue)
            nextTryAt.append(r.nextTryAt)
        }
        outcomes = EndpointOutcomes(records)
    }

    func bindings() -> PostgresBindings {
        var b = PostgresBindings()
        b.append(taskIDs)
        b.append(webhookIDs)
        b.append(ArrayBind(text: eventIDs))
        b.append(ArrayBind(text: eventTypes))
        b.append(attempts)
        b.append(ArrayBind(text: urls))
        b.append(ArrayBind(text: requestHeaders))
        b.append(ArrayBind(statusCodes))
        b.append(ArrayBind(text: responseHeaders))
        b.append(ArrayBind(text: responseBodies))
        b.append(durations)
        b.append(ArrayBind(text: errors))
        b.append(successes)
        b.append(ArrayBind(createdAt))
        b.append(ArrayBind(text: statuses))
        b.append(ArrayBind(nextTryAt))
        outcomes.bind(into: &b)
        return b
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
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bigint[],
                                 $9::text[], $10::text[], $11::bigint[], $12::text[], $13::boolean[], $14::timestamptz[], $15::text[],
                                 $16::timestamptz[])
                AS x(task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers, response_status,
                     response_headers, response_body, duration_ms, error, success, created_at, status, next_try_at)
        ), tasks AS (
            UPDATE delivery_tasks t SET status = i.status, attempts = t.attempts + 1, next_try_at = i.next_try_at,
                last_status_code = i.response_status, last_error = i.error, last_attempt_at = i.created_at,
                schedule_version = t.schedule_version + (CASE WHEN i.status = 'retry' THEN 1 ELSE 0 END), updated_at = now()
            -- The id list lets the planner use the primary key: joined on the input alone it
            -- hashed a scan of the whole table (44 ms at 55,000 tasks, growing with it).
            FROM input i WHERE t.id = i.task_id AND t.id = ANY($1::bigint[])
            RETURNING t.id, t.schedule_version, t.event_scope, t.job_id
        ), inserted AS (
            -- Only for tasks that still exist (their webhook may have been deleted meanwhile). No
            -- request body: it is the event's, rebuilt when shown (migration 20); the task names the
            -- event's scope, so the attempt finds its event by (event_scope, event_id), and the
            -- replay or recovery job that scheduled it, if any, which marks the attempt in the log.
            INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_scope, event_type, attempt, request_url,
                request_headers, response_status, response_headers, response_body, duration_ms, error, success, created_at, job_id)
            SELECT i.task_id, i.webhook_id, i.event_id, u.event_scope, i.event_type, i.attempt, i.request_url, i.request_headers::jsonb,
                i.response_status, i.response_headers::jsonb, i.response_body, i.duration_ms, i.error, i.success, i.created_at, u.job_id
            FROM input i JOIN tasks u ON u.id = i.task_id
        ), health AS (
            \(EndpointOutcomes.healthUpdate(from: 17))
        )
        SELECT 0, id, schedule_version, NULL::text, NULL::int, NULL::timestamptz, NULL::timestamptz FROM tasks
        UNION ALL
        SELECT 1, id, NULL::int, status, consecutive_failed_tasks, failing_since, now() FROM health
        """

    var columns: AttemptColumns

    func makeBindings() -> PostgresBindings { columns.bindings() }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let r = row.makeRandomAccess()
        if try r[0].decode(Int.self) == 0 {
            return .task(id: try r[1].decode(Int64.self), scheduleVersion: try r[2].decode(Int.self))
        }
        return .endpoint(try EndpointHealthRow(r, from: 1))
    }
}
