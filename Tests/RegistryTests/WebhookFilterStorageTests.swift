import Foundation
import Logging
import PostgresNIO
import Testing
import WebhookCore

@testable import Storage

/// A webhook's payload filter on PostgreSQL: through the registry, the webhook store and the
/// delivery side's subscription store, and migration 25 on a table that already has webhooks.
@Suite struct WebhookFilterStorageTests {
    static let filter = #"{"type": "job.failed", "data.serial": 123456789012345678901234567890, "$or": [{"data.ratio": {"$lt": 0.5}}, {"data.név": null}]}"#

    @Test func aFilterRoundTripsThroughTheRegistryAndDelivery() async throws {
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            let created = try await h.send(
                .post, "/api/v1/webhooks", token: h.callers.adminA,
                body: #"{"url": "https://example.com/filter-\#(UUID().uuidString)", "events": ["job.*"], "filter": \#(Self.filter)}"#)
            #expect(created.status == 201, "\(created)")
            #expect(doc.problems("POST", "/api/v1/webhooks", created).isEmpty, "\(doc.problems("POST", "/api/v1/webhooks", created))")
            let id = try #require(created.data["webhook_id"] as? Int)
            let detail = try await h.send(.get, "/api/v1/webhooks/\(id)", token: h.callers.adminA)
            #expect(doc.problems("GET", "/api/v1/webhooks/{webhook_id}", detail).isEmpty)
            let shown = try #require(detail.data["filter"] as? [String: Any], "\(detail)")
            #expect(shown["type"] as? String == "job.failed")
            #expect((shown["$or"] as? [Any])?.count == 2)

            let refused = try await h.send(
                .patch, "/api/v1/webhooks/\(id)", token: h.callers.adminA, body: #"{"filter": {"data.x": {"$regex": "(?<=a)b"}}}"#)
            #expect(refused.status == 422 && refused.code == "E_FILTER_INVALID_REGEX", "\(refused)")
            #expect(doc.problems("PATCH", "/api/v1/webhooks/{webhook_id}", refused).isEmpty)
        }
    }

    @Test func theStoresKeepTheDocumentAndTheMigrationLeavesOldRowsWithout() async throws {
        try await ScratchDatabase.with(migratedUpTo: 24) { database, logger in
            var oldID: Int64 = 0
            let inserted = try await database.client.query(
                "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (5, 'https://example.com/before', 's', '{*}') RETURNING id",
                logger: logger)
            for try await id in inserted.decode(Int64.self) { oldID = id }
            try await Migrator.migrate(database.client, logger: logger)
            #expect(try await database.webhooks.get(id: oldID, tenantId: 5)?.filter == nil, "a webhook from before has no filter")

            let filter = try JSONParser.parse(Self.filter)
            let created = try await database.webhooks.create(
                Webhook(tenantId: 5, url: "https://example.com/after", secret: "s", events: ["job.*"], filter: filter))
            #expect(created.filter == filter)
            let loaded = try await database.subscriptions.loadActive()
            #expect(loaded.first { $0.id == created.id }?.filter == filter, "delivery reads the filter as stored")
            #expect(loaded.first { $0.id == oldID }.map { $0.filter == nil } == true)
            let text = try await database.client.query("SELECT filter::text FROM webhooks WHERE id = \(created.id)", logger: logger)
            for try await stored in text.decode(String.self) {
                #expect(stored.contains("123456789012345678901234567890"), "JSONB keeps every digit: \(stored)")
            }
        }
    }
}
