import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

/// The fan-out stage writes each task once: after a successful first delivery its event, its task
/// and the attempt were written by one transaction and not changed since; the same event published
/// again is not delivered again, nor written again.
@Suite("Write once")
struct WriteOnceTests {
    /// A stored task of an event: its status and attempts, how many attempt rows it has, and whether
    /// its row, its event's and its attempts' were all written by one transaction (one `xmin`; an
    /// update gives a row a newer one).
    struct StoredTask: Sendable {
        var status: String
        var attempts: Int
        var oneWrite: Bool
        var attemptRows: Int
    }

    /// The stored tasks of event `id` in `tenant`.
    func stored(_ id: String, tenant: Int64) async throws -> [StoredTask] {
        let env = try TestEnvironment.require()
        let c = URLComponents(string: env.databaseURL)!
        var logger = Logger(label: "write-once")
        logger.logLevel = .warning
        let client = PostgresClient(
            configuration: .init(
                host: c.host!, port: c.port ?? 5432, username: c.user ?? "postgres", password: c.password,
                database: String(c.path.dropFirst()), tls: .disable),
            backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: [StoredTask]?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            var tasks: [StoredTask] = []
            for try await row in try await client.query(
                """
                SELECT t.status, t.attempts,
                       (SELECT bool_and(a.xmin::text = t.xmin::text) FROM delivery_attempts a WHERE a.task_id = t.id)
                           AND e.xmin::text = t.xmin::text,
                       (SELECT count(*)::int8 FROM delivery_attempts a WHERE a.task_id = t.id)
                FROM delivery_tasks t JOIN events e ON e.tenant_scope = t.event_scope AND e.id = t.event_id
                WHERE t.event_scope = \(tenant) AND t.event_id = \(id)
                """, logger: logger
            ).decode((String, Int, Bool?, Int).self) {
                tasks.append(StoredTask(status: row.0, attempts: row.1, oneWrite: row.2 ?? false, attemptRows: row.3))
            }
            return tasks
        }
    }

    @Test func aDeliveredEventIsWrittenOnceAndARepeatIsNotDelivered() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["deploy.finished"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)

            let id = "evt_once_\(UUID().uuidString.prefix(8).lowercased())"
            let event = #"{"id": "\#(id)", "type": "deploy.finished", "tenant_id": \#(tenant), "data": {"n": 1}}"#
            try await platform.postEvents(http, token: token, json: event)
            #expect(await receiver.waitForRequests(1).count == 1)
            // The write follows the attempt: wait for its commit.
            var rows = try await stored(id, tenant: tenant)
            for _ in 0..<50 where rows.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                rows = try await stored(id, tenant: tenant)
            }
            #expect(rows.count == 1, "one task: \(rows)")
            #expect(rows.first?.status == "success" && rows.first?.attempts == 1 && rows.first?.attemptRows == 1, "\(rows)")
            #expect(rows.first?.oneWrite == true, "event, task and attempt written by one transaction, not updated since: \(rows)")

            // Published again (a second request, a second message): a duplicate, neither delivered nor written.
            try await platform.postEvents(http, token: token, json: event)
            try await Task.sleep(for: .seconds(3))
            #expect(receiver.requests.count == 1, "delivered once")
            let again = try await stored(id, tenant: tenant)
            #expect(again.count == 1 && again.first?.oneWrite == true && again.first?.attemptRows == 1, "\(again)")
            let metrics = try await http.send("GET", platform.deliveryURL + "/metrics")
            #expect(metrics.text.contains("webhooks_delivery_duplicate_events_total 1"), "the repeat counted as a duplicate")
        }
        await receiver.stop()
    }
}
