import Foundation
import PostgresNIO
import WebhookCore

extension TaskStore {
    /// Event `id` of `eventScope` (a tenant id, or -1 for a tenant-less event) with its tasks and
    /// their attempts; `nil` when there is no such event. `scope` (`nil`: every tenant) limits the
    /// tasks to webhooks of that tenant.
    ///
    /// The event is found by its key, the tasks by `delivery_tasks_event_webhook_unique`; no index
    /// finds attempts by task (migration 22 dropped it), so they are read through each task's webhook
    /// index, between the event's arrival and the task's last change.
    public func event(id: String, eventScope: Int64, scope: Int64?) async throws(StorageError) -> EventDetail? {
        try await storage {
            let eventRows = try await client.query(
                """
                SELECT id, type, tenant_id, resource_key, occurred_at, received_at, payload::text
                FROM events WHERE tenant_scope = \(eventScope) AND id = \(id)
                """, logger: logger)
            var found: EventRecord?
            for try await (id, type, tenant, key, occurred, received, payload) in eventRows.decode(
                (String, String, Int64?, String?, Date, Date, String).self)
            {
                found = EventRecord(
                    id: id, type: type, tenantId: tenant, resourceKey: key, occurredAt: occurred, receivedAt: received, payload: payload)
            }
            guard let event = found else { return nil }
            let taskRows = try await client.query(
                """
                SELECT \(unescaped: Self.columns), w.name
                FROM delivery_tasks t JOIN webhooks w ON w.id = t.webhook_id JOIN events e ON e.tenant_scope = t.event_scope AND e.id = t.event_id
                WHERE t.event_scope = \(eventScope) AND t.event_id = \(id) AND (\(scope)::bigint IS NULL OR w.tenant_id = \(scope))
                ORDER BY t.id
                """, logger: logger)
            var tasks: [EventTask] = []
            for try await row in taskRows {
                let name = try row.makeRandomAccess()[13].decode(String.self)
                tasks.append(EventTask(task: try Self.decode(row), webhookName: name))
            }
            guard !tasks.isEmpty else { return EventDetail(event: event, tasks: [], attempts: []) }
            let attemptRows = try await client.query(
                """
                SELECT a.id, a.task_id, a.webhook_id, a.attempt, a.success, a.response_status, a.duration_ms, a.created_at, a.job_id
                FROM delivery_tasks t
                JOIN LATERAL (
                    SELECT * FROM delivery_attempts a
                    WHERE a.webhook_id = t.webhook_id AND a.task_id = t.id AND NOT a.is_test
                      AND a.created_at >= \(event.receivedAt) - interval '1 minute' AND a.created_at <= t.updated_at + interval '1 minute'
                ) a ON TRUE
                WHERE t.id = ANY(\(tasks.map(\.task.id)))
                ORDER BY a.task_id, a.created_at, a.id
                """, logger: logger)
            var attempts: [EventAttempt] = []
            for try await (aid, taskId, webhookId, number, success, status, duration, created, jobId) in attemptRows.decode(
                (Int64, Int64, Int64, Int, Bool, Int?, Int, Date, Int64?).self)
            {
                attempts.append(
                    EventAttempt(
                        id: aid, taskId: taskId, webhookId: webhookId, attemptNumber: number, success: success, responseStatus: status,
                        durationMs: duration, createdAt: created, jobId: jobId))
            }
            return EventDetail(event: event, tasks: tasks, attempts: attempts)
        }
    }

    /// A page of the events `filter` selects, newest arrival first (ties by id), and their total
    /// count; read through `events_scope_received_idx`.
    public func events(_ filter: EventListFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [EventRecord], total: Int) {
        try await client.listPage(
            columns: "id, type, tenant_id, resource_key, occurred_at, received_at, payload::text",
            order: "ORDER BY received_at DESC, id DESC", page: page, pageSize: pageSize, logger: logger,
            selection: { what, tail in
                """
                SELECT \(unescaped: what) FROM events
                WHERE tenant_scope = \(filter.eventScope)
                  AND (\(filter.type)::text IS NULL OR type = \(filter.type))
                  AND (\(filter.resourceKey)::text IS NULL OR resource_key = \(filter.resourceKey))
                  AND (\(filter.since)::timestamptz IS NULL OR received_at >= \(filter.since))
                  AND (\(filter.until)::timestamptz IS NULL OR received_at < \(filter.until))
                \(unescaped: tail)
                """
            },
            decode: { row in
                let (id, type, tenant, key, occurred, received, payload) = try row.decode((String, String, Int64?, String?, Date, Date, String).self)
                return EventRecord(id: id, type: type, tenantId: tenant, resourceKey: key, occurredAt: occurred, receivedAt: received, payload: payload)
            })
    }
}
