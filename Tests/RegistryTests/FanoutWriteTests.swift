import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing
import WebhookCore

@testable import Storage

/// The fan-out stage's look-up and write (`lookUpEvents`, `writeFanout`) in a database of their own:
/// every row written once, by one transaction; an event written again (a concurrent replica stored it
/// between look-up and write) adds no task and no attempt; the look-up tells new, duplicate and
/// redelivered events apart.
@Suite struct FanoutWriteTests {
    static func event(_ id: String, tenant: Int64?) -> Event {
        Event(
            id: id, type: "job.failed", occurredAt: Date(), tenantId: tenant, associationType: nil, associationId: nil, resourceKey: nil,
            data: .object([("n", .int(1))]))
    }

    static func attempt(_ event: Event, webhookId: Int64, status: TaskStatus, code: Int, body: String) -> AttemptRecord {
        let now = Date()
        let a = DeliveryAttempt(
            taskId: 0, webhookId: webhookId, eventId: event.id, eventType: event.type, attemptNumber: 1, requestURL: "http://127.0.0.1:9/hook",
            requestHeaders: ["webhook-id": event.key.messageID, "x-quote": "a \"b\""], requestBody: nil, responseStatus: code,
            responseHeaders: ["content-type": "text/plain"], responseBody: body, durationMs: 3, error: code == 200 ? nil : "HTTP \(code)",
            success: code == 200, createdAt: now)
        return AttemptRecord(attempt: a, status: status, nextTryAt: status == .retry ? now.addingTimeInterval(30) : nil)
    }

    @Test func eachRowIsWrittenOnceAndNeverTwice() async throws {
        try await ScratchDatabase.with(batchConnections: 1) { database, logger in
            let store = database.deliveries
            var hooks: [Int64] = []
            for n in 1...3 {
                for try await id in try await database.client.query(
                    "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (1, \("http://127.0.0.1:9/hook\(n)"), 's', '{*}') RETURNING id",
                    logger: logger
                ).decode(Int64.self) { hooks.append(id) }
            }
            let event = Self.event("evt_once_1", tenant: 1)
            let system = Self.event("evt_once_2", tenant: nil)
            #expect(try await store.lookUpEvents([EventLookup(key: event.key, redelivered: false)]) == [.absent])

            let record = FanoutRecord(
                event: event,
                tasks: [
                    FirstAttempt(webhookId: hooks[0], record: Self.attempt(event, webhookId: hooks[0], status: .success, code: 200, body: "ok \u{0} done")),
                    FirstAttempt(webhookId: hooks[1], record: Self.attempt(event, webhookId: hooks[1], status: .retry, code: 503, body: "")),
                    FirstAttempt(webhookId: hooks[2], record: nil),
                ])
            let written = try await store.writeFanout([record, FanoutRecord(event: system, tasks: [])])
            #expect(written.count == 2 && written[1].isEmpty)
            #expect(Set(written[0].map(\.webhookId)) == Set(hooks))
            let versions = Dictionary(uniqueKeysWithValues: written[0].map { ($0.webhookId, $0.scheduleVersion) })
            #expect(versions == [hooks[0]: 0, hooks[1]: 1, hooks[2]: 0], "a retry is scheduled once, as after an attempt's update")

            // One transaction wrote the event, its tasks and their attempts, and nothing has changed
            // them since (an update would give a row a newer xmin).
            var rows: [(String, String, Int, String, String?)] = []
            for try await row in try await database.client.query(
                """
                SELECT t.status, t.xmin::text, t.attempts, e.xmin::text, a.xmin::text
                FROM delivery_tasks t JOIN events e ON e.tenant_scope = t.event_scope AND e.id = t.event_id
                LEFT JOIN delivery_attempts a ON a.task_id = t.id
                WHERE t.event_id = 'evt_once_1' ORDER BY t.webhook_id
                """, logger: logger
            ).decode((String, String, Int, String, String?).self) { rows.append(row) }
            #expect(rows.map(\.0) == ["success", "retry", "pending"])
            #expect(rows.map(\.2) == [1, 1, 0])
            #expect(Set(rows.map(\.1) + rows.map(\.3) + rows.compactMap(\.4)).count == 1, "\(rows)")
            #expect(rows.compactMap(\.4).count == 2, "an attempt per attempted task, none for the handed-off one")
            var stored: [String] = []
            for try await body in try await database.client.query(
                "SELECT response_body FROM delivery_attempts WHERE success", logger: logger
            ).decode(String.self) { stored.append(body) }
            #expect(stored == ["ok \u{FFFD} done"], "NUL is made storable")

            // The same event written again (another replica stored it first): nothing is added.
            #expect(try await store.writeFanout([record]) == [[]])
            var counts: [Int] = []
            for try await n in try await database.client.query(
                """
                SELECT count(*)::int8 FROM events UNION ALL SELECT count(*)::int8 FROM delivery_tasks
                UNION ALL SELECT count(*)::int8 FROM delivery_attempts
                """, logger: logger
            ).decode(Int.self) { counts.append(n) }
            #expect(counts == [2, 3, 2])

            // The look-up: a stored event is a duplicate, unless redelivered (then its tasks come along).
            let found = try await store.lookUpEvents([
                EventLookup(key: event.key, redelivered: false), EventLookup(key: event.key, redelivered: true),
                EventLookup(key: system.key, redelivered: true), EventLookup(key: Self.event("evt_once_3", tenant: 1).key, redelivered: true),
                EventLookup(key: Self.event("evt_once_1", tenant: 2).key, redelivered: false),
            ])
            #expect(found.count == 5)
            #expect(found[0] == .duplicate)
            guard case .redelivered(let tasks) = found[1] else {
                Issue.record("\(found[1])")
                return
            }
            #expect(tasks.map(\.webhookId) == hooks && tasks.map(\.attempts) == [1, 1, 0])
            #expect(found[2] == .redelivered(tasks: []))
            #expect(found[3] == .absent && found[4] == .absent, "events are keyed by tenant and id")

            // Resuming the redelivered event claims its never-attempted task once: a new schedule
            // version (the earlier hand-off message is then superseded); a second claim with the
            // version read before, or of an attempted task, gets nothing.
            let claimed = try await store.claimForResume(tasks)
            let handedOff = try #require(tasks.first { $0.attempts == 0 })
            #expect(claimed == [handedOff.id: handedOff.scheduleVersion + 1])
            #expect(try await store.claimForResume(tasks).isEmpty, "claimed once only")
        }
    }

    /// Migration 22: no foreign key checked per written row, and no attempt index that no query uses.
    @Test func theWrittenTablesHaveNoForeignKeysAndOnlyTheListedIndexes() async throws {
        try await ScratchDatabase.with(batchConnections: 0) { database, logger in
            var foreignKeys = -1
            for try await n in try await database.client.query(
                """
                SELECT count(*)::int8 FROM pg_constraint
                WHERE contype = 'f' AND conrelid IN ('events'::regclass, 'delivery_tasks'::regclass, 'delivery_attempts'::regclass)
                """, logger: logger
            ).decode(Int.self) { foreignKeys = n }
            #expect(foreignKeys == 0)
            var indexes: [String] = []
            for try await name in try await database.client.query(
                """
                SELECT indexname FROM pg_indexes WHERE tablename IN ('events', 'delivery_tasks', 'delivery_attempts') ORDER BY indexname
                """, logger: logger
            ).decode(String.self) { indexes.append(name) }
            // README "Indexes of the delivery tables" names the query each of these serves.
            #expect(
                indexes == [
                    "delivery_attempts_created_idx", "delivery_attempts_pkey", "delivery_attempts_webhook_idx", "delivery_tasks_created_brin",
                    "delivery_tasks_due_idx", "delivery_tasks_event_webhook_unique", "delivery_tasks_job_outstanding_idx", "delivery_tasks_pkey",
                    "delivery_tasks_unsuccessful_created_idx",
                    "delivery_tasks_webhook_idx", "events_pkey", "events_received_brin", "events_scope_received_idx",
                ])
        }
    }
}
