import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing
import WebhookCore

@testable import Storage

/// The delivery engine's batch statements on `Database.batchClient` (prepared, planned once), in a
/// database of their own: the test changes a table's column type, which no other test may see.
@Suite struct BatchStatementTests {
    @Test func aStatementTheServerRefusesPreparedRunsAgainUnprepared() async throws {
        try await ScratchDatabase.with(batchConnections: 1) { database, logger in
            let store = database.deliveries
            var webhookID: Int64 = 0
            for try await id in try await database.client.query(
                "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (1, 'http://127.0.0.1:9/hook', 's', '{*}') RETURNING id",
                logger: logger
            ).decode(Int64.self) { webhookID = id }

            func record(_ id: String) async throws -> [Int64] {
                let event = Event(
                    id: id, type: "job.failed", occurredAt: Date(), tenantId: 1, associationType: nil,
                    associationId: nil, resourceKey: nil, data: .object([("n", .int(1))]))
                let written = try await store.writeFanout([FanoutRecord(event: event, tasks: [FirstAttempt(webhookId: webhookID, record: nil)])])
                return written.first?.map(\.webhookId) ?? []
            }

            // Prepared on the batch connection, planned there once.
            #expect(try await record("evt_batch_1") == [webhookID])
            // The plan's result type no longer matches the table: PostgreSQL refuses the prepared
            // statement ("cached plan must not change result type"); the batch runs unprepared.
            try await database.client.query("ALTER TABLE delivery_tasks ALTER COLUMN schedule_version TYPE bigint", logger: logger)
            #expect(try await record("evt_batch_2") == [webhookID])
            var stored: [String] = []
            for try await id in try await database.client.query("SELECT event_id FROM delivery_tasks ORDER BY id", logger: logger)
                .decode(String.self)
            { stored.append(id) }
            #expect(stored == ["evt_batch_1", "evt_batch_2"])
        }
    }
}
