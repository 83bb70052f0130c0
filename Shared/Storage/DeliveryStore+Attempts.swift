import Foundation
import PostgresNIO
import WebhookCore

extension DeliveryStore {
    /// Records a batch of attempts in one transaction and three statements, whatever its size:
    /// the attempt rows, the tasks' new states, and the endpoints' health (auto-disabling those
    /// that keep failing, see `AutoDisableRule`).
    /// - Returns: per task id, its new schedule version and whether its endpoint was disabled.
    public func recordAttempts(_ records: [AttemptRecord]) async throws(StorageError) -> [Int64: RecordedAttempt] {
        guard !records.isEmpty else { return [:] }
        return try await storage(deadline: Self.deadline) {
            let rows = AttemptRows(records)
            return try await client.withTransaction(logger: logger) { connection in
                var versions: [Int64: Int] = [:]
                let updated = try await connection.query(
                    """
                    WITH input AS (
                        SELECT * FROM jsonb_to_recordset(\(rows.attemptsJSON)::jsonb) AS x(
                            task_id bigint, webhook_id bigint, event_id text, event_type text, attempt int, request_url text,
                            request_headers jsonb, request_body text, response_status int, response_headers jsonb, response_body text,
                            duration_ms int, error text, success boolean, created_at timestamptz, status text, next_try_at timestamptz)
                    ), inserted AS (
                        INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers,
                            request_body, response_status, response_headers, response_body, duration_ms, error, success, created_at)
                        SELECT task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers, request_body,
                            response_status, response_headers, response_body, duration_ms, error, success, created_at FROM input
                    )
                    UPDATE delivery_tasks t SET status = i.status, attempts = t.attempts + 1, next_try_at = i.next_try_at,
                        last_status_code = i.response_status, last_error = i.error, last_attempt_at = i.created_at,
                        schedule_version = t.schedule_version + (CASE WHEN i.status = 'retry' THEN 1 ELSE 0 END), updated_at = now()
                    FROM input i WHERE t.id = i.task_id
                    RETURNING t.id, t.schedule_version
                    """, logger: logger)
                for try await (id, version) in updated.decode((Int64, Int).self) { versions[id] = version }

                let health = try await connection.query(
                    """
                    UPDATE webhooks w SET
                        last_error = COALESCE(x.last_error, w.last_error),
                        consecutive_failed_tasks = CASE WHEN x.successes > 0 THEN x.exhausted ELSE w.consecutive_failed_tasks + x.exhausted END,
                        failing_since = CASE WHEN x.successes > 0 THEN NULL ELSE COALESCE(w.failing_since, x.first_failure) END
                    FROM jsonb_to_recordset(\(rows.healthJSON)::jsonb) AS x(webhook_id bigint, successes int, exhausted int,
                        first_failure timestamptz, last_error text)
                    WHERE w.id = x.webhook_id
                    RETURNING w.id, w.status, w.consecutive_failed_tasks, w.failing_since
                    """, logger: logger)
                var toDisable: [(Int64, String)] = []
                let now = Date()
                for try await (id, status, failedTasks, failingSince) in health.decode((Int64, String, Int, Date?).self)
                where status == WebhookStatus.active.rawValue {
                    if let reason = rows.goneReasons[id]
                        ?? AutoDisableRule.reason(consecutiveFailedTasks: failedTasks, failingSince: failingSince, now: now)
                    {
                        toDisable.append((id, reason))
                    }
                }
                var disabled: [Int64: String] = [:]
                for (id, reason) in toDisable {
                    try await connection.query(
                        """
                        UPDATE webhooks SET status = 'auto-disabled', disabled_reason = \(reason), updated_at = now()
                        WHERE id = \(id) AND status = 'active'
                        """, logger: logger)
                    disabled[id] = reason
                    logger.warning("endpoint auto-disabled", metadata: ["webhook_id": "\(id)", "reason": "\(reason)"])
                }
                var result: [Int64: RecordedAttempt] = [:]
                for record in records {
                    let taskID = record.attempt.taskId
                    result[taskID] = RecordedAttempt(scheduleVersion: versions[taskID] ?? 0,
                                                     disabledReason: disabled[record.attempt.webhookId])
                }
                return result
            }
        }
    }
}

/// A batch of attempts as JSON record sets (one bind parameter each, NULLs included).
struct AttemptRows {
    let attemptsJSON: String
    let healthJSON: String
    /// Endpoints that answered 410 Gone in this batch.
    let goneReasons: [Int64: String]

    struct Attempt: Encodable {
        let task_id: Int64, webhook_id: Int64, event_id: String, event_type: String, attempt: Int, request_url: String
        let request_headers: [String: String], request_body: String, response_status: Int?, response_headers: [String: String]
        let response_body: String?, duration_ms: Int, error: String?, success: Bool, created_at: String, status: String
        let next_try_at: String?
    }

    struct Health: Encodable {
        let webhook_id: Int64
        var successes = 0
        var exhausted = 0
        var first_failure: String?
        var last_error: String?
    }

    init(_ records: [AttemptRecord]) {
        let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var attempts: [Attempt] = []
        var health: [Int64: Health] = [:]
        var gone: [Int64: String] = [:]
        for r in records {
            let a = r.attempt
            attempts.append(Attempt(
                task_id: a.taskId, webhook_id: a.webhookId, event_id: a.eventId, event_type: a.eventType, attempt: a.attemptNumber,
                request_url: a.requestURL, request_headers: a.requestHeaders.mapValues(Self.storable), request_body: Self.storable(a.requestBody),
                response_status: a.responseStatus, response_headers: a.responseHeaders.mapValues(Self.storable),
                response_body: a.responseBody.map(Self.storable), duration_ms: a.durationMs, error: a.error.map(Self.storable),
                success: a.success, created_at: a.createdAt.formatted(format), status: r.status.rawValue,
                next_try_at: r.nextTryAt?.formatted(format)))
            var h = health[a.webhookId] ?? Health(webhook_id: a.webhookId)
            if a.success {
                h.successes += 1
            } else {
                if h.first_failure == nil { h.first_failure = a.createdAt.formatted(format) }
                h.last_error = a.error.map(Self.storable) ?? a.responseStatus.map { "HTTP \($0)" }
                if r.status == .failed { h.exhausted += 1 }
            }
            health[a.webhookId] = h
            if let reason = r.disableReason { gone[a.webhookId] = reason }
        }
        let encoder = JSONEncoder()
        attemptsJSON = String(decoding: (try? encoder.encode(attempts)) ?? Data("[]".utf8), as: UTF8.self)
        healthJSON = String(decoding: (try? encoder.encode(Array(health.values))) ?? Data("[]".utf8), as: UTF8.self)
        goneReasons = gone
    }

    /// PostgreSQL text cannot hold NUL: replace it (response bodies may contain anything).
    static func storable(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }
}
