import Foundation
import PostgresNIO
import WebhookCore

extension JobBatch {
    /// A replay's batch: the next events of the range in the current scope (by arrival, then id, an
    /// ordered range of `events_scope_received_idx`), those the webhook selects scheduled now. An
    /// event it has no task for gets one; one it has a finished task for (delivered, failed or
    /// cancelled) has that task scheduled again with a fresh set of attempts, unless `only_missing`;
    /// one whose task still waits for an attempt is left to it. Scheduled tasks are `pending`, due now
    /// (see `recover`).
    func replay(_ job: DeliveryJob, from cursor: Cursor, _ selection: ReplaySelection) async throws -> Step {
        let r = job.request
        let scopes = Self.scopes(of: r)
        var cursor = cursor
        guard let webhookID = r.webhookId else { return Step(scanned: 0, tasks: [], cursor: cursor, finished: true) }
        var scopeIndex = cursor.scope.flatMap { scopes.firstIndex(of: $0) } ?? 0
        if cursor.scope == nil { cursor = Cursor(time: nil, scope: scopes[0], key: nil) }
        let scope = scopes[scopeIndex]
        let rows = try await connection.query(
            """
            SELECT id, received_at::text, payload FROM events
            WHERE tenant_scope = \(scope) AND received_at >= \(r.since) AND received_at < \(r.until)
              AND (\(cursor.time)::text IS NULL OR (received_at, id) > (\(cursor.time)::timestamptz, \(cursor.key)))
            ORDER BY received_at, id LIMIT \(batchSize)
            """, logger: logger)
        var scanned: Int64 = 0
        var chosen: [String] = []
        for try await (id, receivedAt, payload) in rows.decode((String, String, String).self) {
            scanned += 1
            cursor.time = receivedAt
            cursor.key = id
            // A stored event is one the fan-out stage decoded; one that no longer decodes is skipped.
            if let event = try? EventMessage.decode(Array(payload.utf8)), selection.selects(event) { chosen.append(id) }
        }
        var finished = false
        if scanned < batchSize {
            scopeIndex += 1
            if scopeIndex < scopes.count {
                cursor = Cursor(time: nil, scope: scopes[scopeIndex], key: nil)
            } else {
                finished = true
            }
        }
        guard !chosen.isEmpty else { return Step(scanned: scanned, tasks: [], cursor: cursor, finished: finished) }
        let scheduled = try await connection.query(
            """
            INSERT INTO delivery_tasks AS t (event_id, event_scope, webhook_id, status, next_try_at, job_id)
            SELECT x, \(scope), \(webhookID), 'pending', now(), \(job.id) FROM unnest(\(chosen)::text[]) AS x
            ON CONFLICT ON CONSTRAINT delivery_tasks_event_webhook_unique DO UPDATE
                SET status = 'pending', attempts = 0, next_try_at = now(), job_id = EXCLUDED.job_id, last_error = NULL,
                    schedule_version = t.schedule_version + 1, updated_at = now()
                WHERE NOT \(r.onlyMissing) AND t.status IN ('success', 'failed', 'cancelled')
            RETURNING t.id, t.schedule_version
            """, logger: logger)
        var tasks: [TaskMessage] = []
        for try await (id, version) in scheduled.decode((Int64, Int).self) {
            tasks.append(TaskMessage(taskID: id, version: version, webhookID: webhookID))
        }
        return Step(scanned: scanned, tasks: tasks.sorted { $0.taskID < $1.taskID }, cursor: cursor, finished: finished)
    }

    /// A recovery's batch: the next failed tasks of active webhooks created in the range (by id), each
    /// scheduled again with a fresh set of attempts (`pending`, due now: delivery's sweeper leaves a
    /// pending task alone for ten minutes, where a `retry` one overdue by a minute would be sent again).
    /// A task that fails again later is behind the cursor and stays failed; a disabled webhook's
    /// failed tasks stay as they are (delivery would only cancel them).
    func recover(_ job: DeliveryJob, after cursor: Cursor) async throws -> Step {
        let r = job.request
        let after = cursor.key.flatMap { Int64($0) } ?? 0
        let rows = try await connection.query(
            """
            UPDATE delivery_tasks t SET status = 'pending', attempts = 0, next_try_at = now(), job_id = \(job.id), last_error = NULL,
                schedule_version = t.schedule_version + 1, updated_at = now()
            FROM (
                SELECT f.id FROM delivery_tasks f JOIN webhooks w ON w.id = f.webhook_id
                WHERE f.status = 'failed' AND f.created_at >= \(r.since) AND f.created_at < \(r.until) AND f.id > \(after)
                  AND w.status = 'active'
                  AND (\(r.webhookId)::bigint IS NULL OR f.webhook_id = \(r.webhookId))
                  AND (\(r.tenantId)::bigint IS NULL OR w.tenant_id = \(r.tenantId))
                ORDER BY f.id LIMIT \(batchSize)
                FOR UPDATE OF f
            ) s
            WHERE t.id = s.id
            RETURNING t.id, t.schedule_version, t.webhook_id
            """, logger: logger)
        var tasks: [TaskMessage] = []
        for try await (id, version, webhook) in rows.decode((Int64, Int, Int64).self) {
            tasks.append(TaskMessage(taskID: id, version: version, webhookID: webhook))
        }
        tasks.sort { $0.taskID < $1.taskID }
        let next = Cursor(time: nil, scope: nil, key: tasks.last.map { String($0.taskID) } ?? cursor.key)
        return Step(scanned: Int64(tasks.count), tasks: tasks, cursor: next, finished: tasks.count < batchSize)
    }
}
