import Foundation
import Logging
import PostgresNIO
import WebhookCore

/// Events, delivery tasks and attempts in PostgreSQL.
public struct DeliveryStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Stores the event once and one task per webhook (idempotent on (event, webhook)) in one
    /// transaction and one round trip per table, and returns the tasks still to be attempted — on a
    /// redelivered event, those a previous run did not finish.
    public func recordEvent(_ event: Event, webhookIDs: [Int64]) async throws(StorageError) -> [DeliveryTask] {
        try await storage {
            try await client.withTransaction(logger: logger) { connection in
                let payload = String(decoding: event.messageBody, as: UTF8.self)
                try await connection.query(
                    """
                    INSERT INTO events (id, type, tenant_id, association_type, association_id, resource_key, occurred_at, payload)
                    VALUES (\(event.id), \(event.type), \(event.tenantId), \(event.associationType?.rawValue), \(event.associationId),
                            \(event.resourceKey), \(event.occurredAt), \(payload)::jsonb)
                    ON CONFLICT (id) DO NOTHING
                    """, logger: logger)
                guard !webhookIDs.isEmpty else { return [] }
                try await connection.query(
                    """
                    INSERT INTO delivery_tasks (event_id, webhook_id)
                    SELECT \(event.id), unnest(\(webhookIDs)::bigint[])
                    ON CONFLICT (event_id, webhook_id) DO NOTHING
                    """, logger: logger)
                let rows = try await connection.query(
                    """
                    SELECT id, event_id, webhook_id, status, attempts, next_try_at, created_at FROM delivery_tasks
                    WHERE event_id = \(event.id) AND webhook_id = ANY(\(webhookIDs)::bigint[]) AND status = 'pending'
                    ORDER BY id
                    """, logger: logger)
                var tasks: [DeliveryTask] = []
                for try await (id, eventID, webhookID, status, attempts, next, created) in rows.decode(
                    (Int64, String, Int64, String, Int, Date?, Date).self)
                {
                    tasks.append(DeliveryTask(id: id, eventId: eventID, webhookId: webhookID, status: TaskStatus(rawValue: status) ?? .pending,
                                              attempts: attempts, nextTryAt: next, createdAt: created))
                }
                return tasks
            }
        }
    }

    /// Records one attempt and the task's new state in one transaction.
    /// - Parameters:
    ///   - attempt: what was sent and received.
    ///   - status: the task's status after the attempt.
    ///   - nextTryAt: when the next attempt is due, for `retry`.
    public func recordAttempt(_ attempt: DeliveryAttempt, status: TaskStatus, nextTryAt: Date?) async throws(StorageError) {
        try await storage {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers,
                        request_body, response_status, response_headers, response_body, duration_ms, error, success, created_at)
                    VALUES (\(attempt.taskId), \(attempt.webhookId), \(attempt.eventId), \(attempt.eventType), \(attempt.attemptNumber),
                        \(attempt.requestURL), \(JSONColumn.encode(attempt.requestHeaders))::jsonb, \(attempt.requestBody),
                        \(attempt.responseStatus), \(JSONColumn.encode(attempt.responseHeaders))::jsonb, \(attempt.responseBody),
                        \(attempt.durationMs), \(attempt.error), \(attempt.success), \(attempt.createdAt))
                    """, logger: logger)
                try await connection.query(
                    """
                    UPDATE delivery_tasks SET status = \(status.rawValue), attempts = attempts + 1, next_try_at = \(nextTryAt),
                        last_status_code = \(attempt.responseStatus), last_error = \(attempt.error), updated_at = now()
                    WHERE id = \(attempt.taskId)
                    """, logger: logger)
                if let error = attempt.error ?? (attempt.success ? nil : "HTTP \(attempt.responseStatus ?? 0)") {
                    try await connection.query("UPDATE webhooks SET last_error = \(error) WHERE id = \(attempt.webhookId)", logger: logger)
                }
            }
        }
    }

    /// A page of attempts of one webhook, newest first, and the total count.
    public func attempts(webhookID: Int64, page: Int, pageSize: Int) async throws(StorageError) -> (items: [DeliveryAttempt], total: Int) {
        try await storage {
            let offset = (page - 1) * pageSize
            var items: [DeliveryAttempt] = []
            let rows = try await client.query(
                """
                SELECT id, task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers::text, request_body,
                       response_status, response_headers::text, response_body, duration_ms, error, success, created_at
                FROM delivery_attempts WHERE webhook_id = \(webhookID)
                ORDER BY created_at DESC, id DESC LIMIT \(pageSize) OFFSET \(offset)
                """, logger: logger)
            for try await row in rows {
                let r = row.makeRandomAccess()
                items.append(DeliveryAttempt(
                    id: try r[0].decode(Int64.self), taskId: try r[1].decode(Int64.self), webhookId: try r[2].decode(Int64.self),
                    eventId: try r[3].decode(String.self), eventType: try r[4].decode(String.self), attemptNumber: try r[5].decode(Int.self),
                    requestURL: try r[6].decode(String.self), requestHeaders: JSONColumn.decode(try r[7].decode(String?.self)),
                    requestBody: try r[8].decode(String.self), responseStatus: try r[9].decode(Int?.self),
                    responseHeaders: JSONColumn.decode(try r[10].decode(String?.self)), responseBody: try r[11].decode(String?.self),
                    durationMs: try r[12].decode(Int.self), error: try r[13].decode(String?.self), success: try r[14].decode(Bool.self),
                    createdAt: try r[15].decode(Date.self)))
            }
            var total = 0
            for try await n in try await client.query(
                "SELECT count(*) FROM delivery_attempts WHERE webhook_id = \(webhookID)", logger: logger).decode(Int.self)
            {
                total = n
            }
            return (items, total)
        }
    }
}
