import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing
import WebhookCore

@testable import Storage

/// `RetentionStore` in a database of its own (it deletes by age, whatever test wrote the rows).
@Suite struct RetentionTests {
    /// Rows made `age` ago (or, for a task, last changed `changedAge` ago).
    struct Rows {
        let client: PostgresClient
        let logger: Logger
        let webhookID: Int64

        /// Rows for a new webhook.
        static func withWebhook(_ client: PostgresClient, logger: Logger) async throws -> Rows {
            var webhookID: Int64 = 0
            for try await id in try await client.query(
                "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (1, 'http://127.0.0.1:9/hook', 's', '{*}') RETURNING id",
                logger: logger
            ).decode(Int64.self) { webhookID = id }
            return Rows(client: client, logger: logger, webhookID: webhookID)
        }

        func event(_ id: String, age: Duration) async throws {
            try await client.query(
                """
                INSERT INTO events (id, type, occurred_at, payload, received_at)
                VALUES (\(id), 'job.failed', now(), '{}', now() - \(Self.seconds(age)) * interval '1 second')
                """, logger: logger)
        }

        func task(event: String, status: String, age: Duration, changedAge: Duration? = nil) async throws -> Int64 {
            var id: Int64 = 0
            for try await made in try await client.query(
                """
                INSERT INTO delivery_tasks (event_scope, event_id, webhook_id, status, attempts, created_at, updated_at)
                VALUES (-1, \(event), \(webhookID), \(status), 1, now() - \(Self.seconds(age)) * interval '1 second',
                        now() - \(Self.seconds(changedAge ?? age)) * interval '1 second')
                RETURNING id
                """, logger: logger
            ).decode(Int64.self) { id = made }
            return id
        }

        func attempt(task: Int64, event: String, age: Duration) async throws {
            try await client.query(
                """
                INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers,
                    request_body, response_status, duration_ms, success, created_at)
                VALUES (\(task), \(webhookID), \(event), 'job.failed', 1, 'https://example.com/hook', '{}'::jsonb, '{}', 200, 5, true,
                        now() - \(Self.seconds(age)) * interval '1 second')
                """, logger: logger)
        }

        func ids(_ sql: String) async throws -> [String] {
            var out: [String] = []
            for try await id in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String.self) { out.append(id) }
            return out.sorted()
        }

        static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) }
    }

    static let day: Duration = .seconds(86_400)

    @Test func deletesOnlyFinishedHistoryPastTheCutoff() async throws {
        try await ScratchDatabase.with { database, logger in
            let rows = try await Rows.withWebhook(database.client, logger: logger)
            let old = Self.day * 40, recent = Self.day * 1

            // Old and finished: the event, its task and both attempts go.
            try await rows.event("evt_old_done", age: old)
            let done = try await rows.task(event: "evt_old_done", status: "success", age: old)
            try await rows.attempt(task: done, event: "evt_old_done", age: old)
            try await rows.attempt(task: done, event: "evt_old_done", age: old)
            // Old but still retrying: its old attempt goes, the task and its event stay.
            try await rows.event("evt_old_retrying", age: old)
            let retrying = try await rows.task(event: "evt_old_retrying", status: "retry", age: old)
            try await rows.attempt(task: retrying, event: "evt_old_retrying", age: old)
            // Old, failed, but retried by hand yesterday: the old attempt goes, the new one, the
            // task and the event stay.
            try await rows.event("evt_old_retried", age: old)
            let retried = try await rows.task(event: "evt_old_retried", status: "failed", age: old, changedAge: recent)
            try await rows.attempt(task: retried, event: "evt_old_retried", age: old)
            try await rows.attempt(task: retried, event: "evt_old_retried", age: recent)
            // Old and still pending (its first attempt never recorded): stays, with its event.
            try await rows.event("evt_old_pending", age: old)
            _ = try await rows.task(event: "evt_old_pending", status: "pending", age: old)
            // Old and cancelled: goes, with its event.
            try await rows.event("evt_old_cancelled", age: old)
            _ = try await rows.task(event: "evt_old_cancelled", status: "cancelled", age: old)
            // Old, no webhook matched it: goes.
            try await rows.event("evt_old_unmatched", age: old)
            // Recent: everything stays.
            try await rows.event("evt_recent", age: recent)
            let fresh = try await rows.task(event: "evt_recent", status: "success", age: recent)
            try await rows.attempt(task: fresh, event: "evt_recent", age: recent)

            let cutoff = Date().addingTimeInterval(-30 * 86_400)
            // Batches of one row: the pass goes on until a batch comes back short.
            let purged = try await database.retention.purge(before: cutoff, batchSize: 1)
            #expect(purged == RetentionStore.Purged(attempts: 4, tasks: 2, events: 3))
            #expect(try await rows.ids("SELECT id FROM events") == ["evt_old_pending", "evt_old_retried", "evt_old_retrying", "evt_recent"])
            #expect(try await rows.ids("SELECT event_id FROM delivery_tasks") == ["evt_old_pending", "evt_old_retried", "evt_old_retrying", "evt_recent"])
            #expect(try await rows.ids("SELECT event_id FROM delivery_attempts") == ["evt_old_retried", "evt_recent"])
            // Nothing left to do.
            #expect(try await database.retention.purge(before: cutoff) == RetentionStore.Purged())
        }
    }

    @Test func oldTestSendsGoLikeOldAttempts() async throws {
        try await ScratchDatabase.with { database, logger in
            let rows = try await Rows.withWebhook(database.client, logger: logger)
            let logs = AttemptLogStore(client: database.client, logger: logger)
            func testSend(_ eventId: String, age: Duration) async throws -> DeliveryAttempt? {
                let attempt = DeliveryAttempt(
                    taskId: 0, webhookId: rows.webhookID, eventId: eventId, eventType: EventCatalogue.testEventType, attemptNumber: 1,
                    requestURL: "http://127.0.0.1:9/hook", requestHeaders: ["webhook-id": "msg_test"], requestBody: "{}",
                    responseStatus: 500, responseHeaders: [:], responseBody: "no", durationMs: 3, error: "HTTP 500", success: false,
                    createdAt: Date().addingTimeInterval(-Rows.seconds(age)), isTest: true)
                return try await logs.recordTestSend(attempt, tenantId: 1)
            }
            let old = try #require(try await testSend("evt_test_old", age: Self.day * 40))
            #expect(old.isTest && old.taskId == 0 && old.id > 0)
            _ = try #require(try await testSend("evt_test_recent", age: Self.day))
            #expect(try await logs.recordTestSend(old, tenantId: 2) == nil, "another tenant's webhook: nothing recorded")

            let purged = try await database.retention.purge(before: Date().addingTimeInterval(-30 * 86_400))
            #expect(purged == RetentionStore.Purged(attempts: 1))
            #expect(try await rows.ids("SELECT event_id FROM delivery_attempts") == ["evt_test_recent"])
            #expect(try await rows.ids("SELECT event_id FROM delivery_attempts WHERE is_test AND task_id IS NULL") == ["evt_test_recent"])
        }
    }

    @Test func aReplicaFindingAnotherPurgingDeletesNothing() async throws {
        try await ScratchDatabase.with { database, logger in
            let rows = try await Rows.withWebhook(database.client, logger: logger)
            try await rows.event("evt_old_unmatched", age: Self.day * 40)
            let cutoff = Date().addingTimeInterval(-30 * 86_400)
            // Another replica holds the lock (here: this connection, for the session).
            try await database.client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(\(RetentionStore.lockKey))", logger: logger)
                let purged = try await database.retention.purge(before: cutoff)
                try await connection.query("SELECT pg_advisory_unlock(\(RetentionStore.lockKey))", logger: logger)
                #expect(purged == RetentionStore.Purged())
            }
            #expect(try await rows.ids("SELECT id FROM events") == ["evt_old_unmatched"])
            #expect(try await database.retention.purge(before: cutoff) == RetentionStore.Purged(events: 1))
        }
    }
}
