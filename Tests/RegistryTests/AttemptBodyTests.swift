import Foundation
import Logging
import Testing
import WebhookCore

/// Delivery attempts store no request body (migration 20): the logs rebuild it from the event;
/// rows from before keep and show theirs; an attempt whose event is gone shows `null`.
@Suite struct AttemptBodyTests {
    /// Inserts an attempt as delivery's batch statement writes it now: no body, the event's scope.
    func insertBodyless(webhookId: Int64, eventId: String, scope: Int64) async throws -> Int64 {
        try await Fixtures.withDatabase { client in
            var logId: Int64 = 0
            for try await id in try await client.query(
                """
                INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_scope, event_type, attempt, request_url,
                    request_headers, response_status, response_headers, response_body, duration_ms, error, success, created_at)
                VALUES (1, \(webhookId), \(eventId), \(scope), 'job.failed', 1, 'https://example.com/hook',
                    '{"webhook-id": "msg_x"}'::jsonb, 200, '{}'::jsonb, 'ok', 5, NULL, TRUE, now())
                RETURNING id
                """, logger: Logger(label: "fixtures")
            ).decode(Int64.self) { logId = id }
            return logId
        }
    }

    @Test func bodiesAreRebuiltFromTheEventStoredOnesShownAndMissingEventsNull() async throws {
        try await Harness.run { h in
            let id = try await h.createWebhook()
            // Rows from before migration 20 (with their body), as `Fixtures.delivery` writes them.
            let old = try await Fixtures.delivery(webhookId: id)
            for logId in [old.failedLogId, old.succeededLogId] {
                let one = try await h.send(.get, "/api/v1/logs/\(logId)", token: h.callers.adminA)
                #expect(one.data["request_body"] as? String == #"{"id": "\#(old.eventId)", "type": "job.failed", "data": {}}"#, "\(one)")
            }

            // An event of tenant A (the payload as the message carried it) and its body-less attempt.
            let eventId = "evt-body-\(UUID().uuidString)"
            let payload =
                #"{"type": "job.failed", "id": "\#(eventId)", "tenant_id": \#(h.tenantA), "occurred_at": "2024-01-26T08:00:00.5Z", "data": {"z": 1e2, "a": "naïve ☃ \u0000"}}"#
            try await Fixtures.withDatabase { client in
                try await client.query(
                    """
                    INSERT INTO events (id, type, tenant_id, occurred_at, payload)
                    VALUES (\(eventId), 'job.failed', \(h.tenantA), now(), \(payload))
                    """, logger: Logger(label: "fixtures"))
            }
            let rebuilt = try await insertBodyless(webhookId: id, eventId: eventId, scope: h.tenantA)
            let expected = String(decoding: WebhookRequest.body(for: try EventMessage.decode(Array(payload.utf8))), as: UTF8.self)
            #expect(expected.hasPrefix(#"{"data": {"a": "na\u00efve \u2603 \u0000", "z": "#), "\(expected)")
            // The same id in another scope is another event: not this attempt's.
            let elsewhere = try await insertBodyless(webhookId: id, eventId: eventId, scope: h.tenantA + 1_000_000)
            // An attempt whose event is gone.
            let orphan = try await insertBodyless(webhookId: id, eventId: "evt-gone-\(UUID().uuidString)", scope: h.tenantA)

            let one = try await h.send(.get, "/api/v1/logs/\(rebuilt)", token: h.callers.adminA)
            #expect(one.status == 200, "\(one)")
            #expect(one.data["request_body"] as? String == expected)
            let gone = try await h.send(.get, "/api/v1/logs/\(orphan)", token: h.callers.adminA)
            #expect(gone.status == 200, "\(gone)")
            #expect(gone.data["request_body"] is NSNull, "shown as null, not an error: \(gone)")
            let other = try await h.send(.get, "/api/v1/logs/\(elsewhere)", token: h.callers.adminA)
            #expect(other.data["request_body"] is NSNull, "looked up in the attempt's own scope: \(other)")

            let page = try await h.send(.get, "/api/v1/webhooks/\(id)/logs?page_size=50", token: h.callers.adminA)
            #expect(page.status == 200, "\(page)")
            let items = page.data["items"] as? [[String: Any]] ?? []
            #expect(items.count == 5)
            #expect(items.first { $0["log_id"] as? Int == Int(rebuilt) }?["request_body"] as? String == expected)
            let bkrepo = try await h.send(.get, "/webhook/api/log/list/\(id)", token: h.callers.adminA)
            let list = bkrepo.object["data"] as? [[String: Any]] ?? []
            #expect(list.first { $0["id"] as? String == String(rebuilt) }?["requestPayload"] as? String == expected, "\(bkrepo)")
            #expect(list.first { $0["id"] as? String == String(orphan) }?["requestPayload"] is NSNull)
        }
    }
}
