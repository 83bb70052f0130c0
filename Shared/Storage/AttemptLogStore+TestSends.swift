import Foundation
import PostgresNIO
import WebhookCore

extension AttemptLogStore {
    /// Records a test send of the registry as an attempt of webhook `attempt.webhookId` in tenant
    /// `tenantId`: marked as a test (`is_test`), of no task (`task_id` NULL), first of its kind
    /// (`attempt` 1). Not counted in the statistics nor in the endpoint's health.
    /// - Returns: the attempt as stored (with its id), or `nil` when the webhook no longer exists
    ///   in that tenant (deleted while the test was under way).
    public func recordTestSend(_ attempt: DeliveryAttempt, tenantId: Int64) async throws(StorageError) -> DeliveryAttempt? {
        try await storage {
            let rows = try await client.query(
                """
                INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers,
                    request_body, response_status, response_headers, response_body, duration_ms, error, success, created_at, is_test)
                SELECT NULL::bigint, w.id, \(attempt.eventId), \(attempt.eventType), 1, \(attempt.requestURL),
                    \(JSONColumn.encode(attempt.requestHeaders))::jsonb, \(attempt.requestBody), \(attempt.responseStatus),
                    \(JSONColumn.encode(attempt.responseHeaders))::jsonb, \(attempt.responseBody), \(attempt.durationMs),
                    \(attempt.error), \(attempt.success), \(attempt.createdAt), TRUE
                FROM webhooks w WHERE w.id = \(attempt.webhookId) AND w.tenant_id = \(tenantId)
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) {
                var stored = attempt
                stored.id = id
                stored.taskId = 0
                stored.attemptNumber = 1
                stored.isTest = true
                return stored
            }
            return nil
        }
    }
}
