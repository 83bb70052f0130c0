import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

@testable import Storage

/// Migration 16 keys events by (tenant, id): rows stored before it keep their tasks, and from then
/// on two tenants may store the same id.
@Suite("Event scope migration")
struct EventScopeMigrationTests {
    @Test func existingEventsAndTasksAreCarriedOver() async throws {
        let env = try TestEnvironment.require()
        let name = "scope_" + UUID().uuidString.prefix(8).lowercased()
        let logger = Logger(label: "test")
        _ = try await Fixtures.withDatabase { admin in try await admin.query("CREATE DATABASE \(unescaped: name)", logger: logger) }
        @Sendable func drop() async throws {
            _ = try await Fixtures.withDatabase { admin in
                try await admin.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
            }
        }
        var url = URLComponents(string: env.databaseURL)!
        url.path = "/" + name
        let database = try Database(url: url.string!, logger: logger, maximumConnections: 2, batchConnections: 0)
        do {
            try await run(database, logger)
        } catch {
            try? await drop()
            throw error
        }
        try await drop()
    }

    func run(_ database: Database, _ logger: Logger) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in database.clients { group.addTask { await client.run() } }
            defer { group.cancelAll() }
            let client = database.client
            try await Migrator.migrate(client, logger: logger, upTo: 15)
            var webhook: Int64 = 0
            for try await id in try await client.query(
                "INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (7, 'https://example.com/h', 's', '{*}') RETURNING id",
                logger: logger
            ).decode(Int64.self) { webhook = id }
            try await client.query(
                """
                INSERT INTO events (id, type, tenant_id, occurred_at, payload) VALUES
                    ('evt-a', 'job.failed', 7, now(), '{}'), ('evt-b', 'job.failed', NULL, now(), '{}')
                """, logger: logger)
            try await client.query(
                "INSERT INTO delivery_tasks (event_id, webhook_id) VALUES ('evt-a', \(webhook)), ('evt-b', \(webhook))", logger: logger)

            try await Migrator.migrate(client, logger: logger)
            var scopes: [String: Int64] = [:]
            for try await (id, scope) in try await client.query(
                "SELECT event_id, event_scope FROM delivery_tasks", logger: logger
            ).decode((String, Int64).self) { scopes[id] = scope }
            #expect(scopes == ["evt-a": 7, "evt-b": -1], "each task names its event's scope")
            var joined = 0
            for try await n in try await client.query(
                """
                SELECT count(*) FROM delivery_tasks t JOIN events e ON e.tenant_scope = t.event_scope AND e.id = t.event_id
                """, logger: logger
            ).decode(Int.self) { joined = n }
            #expect(joined == 2, "every task finds its event")
            // The same id may now exist once per tenant, and still only once within one.
            try await client.query(
                "INSERT INTO events (id, type, tenant_id, occurred_at, payload) VALUES ('evt-a', 'job.failed', 8, now(), '{}')",
                logger: logger)
            await #expect(throws: (any Error).self) {
                try await client.query(
                    "INSERT INTO events (id, type, tenant_id, occurred_at, payload) VALUES ('evt-a', 'job.failed', 7, now(), '{}')",
                    logger: logger)
            }
        }
    }
}
