import Foundation
import Logging
import PostgresNIO
import TestSupport

/// Delivery rows (events, tasks, attempts) written straight to PostgreSQL, as delivery would record
/// them, so the registry's task and log routes have something to show.
enum Fixtures {
    struct Delivery {
        let eventId: String
        let taskId: Int64
        /// A failed attempt, then a successful one.
        let failedLogId: Int64
        let succeededLogId: Int64
    }

    /// Runs `body` with a client connected to the test database (or to the one at `url`).
    static func withDatabase<T: Sendable>(url: String? = nil, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let env = try TestEnvironment.require()
        let c = URLComponents(string: url ?? env.databaseURL)!
        var logger = Logger(label: "fixtures")
        logger.logLevel = .warning
        let client = PostgresClient(
            configuration: .init(
                host: c.host!, port: c.port ?? 5432, username: c.user ?? "postgres", password: c.password,
                database: String(c.path.dropFirst()), tls: .disable),
            backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// One event delivered to `webhookId`: a task with status `taskStatus` and two attempts.
    static func delivery(
        webhookId: Int64, eventType: String = "job.failed", taskStatus: String = "failed",
        createdAt: Date = Date()
    ) async throws -> Delivery {
        let logger = Logger(label: "fixtures")
        return try await withDatabase { client in
            let eventId = "evt_fixture_" + UUID().uuidString
            let payload = #"{"id": "\#(eventId)", "type": "\#(eventType)", "data": {}}"#
            try await client.query(
                """
                INSERT INTO events (id, type, tenant_id, occurred_at, payload)
                VALUES (\(eventId), \(eventType), NULL, \(createdAt), \(payload)::jsonb)
                """, logger: logger)
            var taskId: Int64 = 0
            for try await id in try await client.query(
                """
                INSERT INTO delivery_tasks (event_scope, event_id, webhook_id, status, attempts, last_status_code, last_error, created_at)
                VALUES (-1, \(eventId), \(webhookId), \(taskStatus), 2, 500, 'HTTP 500', \(createdAt)) RETURNING id
                """, logger: logger
            ).decode(Int64.self) { taskId = id }
            var logIds: [Int64] = []
            for (number, status, ok) in [(1, 500, false), (2, 200, true)] {
                let at = createdAt.addingTimeInterval(Double(number))
                let error: String? = ok ? nil : "HTTP 500"
                for try await id in try await client.query(
                    """
                    INSERT INTO delivery_attempts (task_id, webhook_id, event_id, event_type, attempt, request_url, request_headers,
                        request_body, response_status, response_headers, response_body, duration_ms, error, success, created_at)
                    VALUES (\(taskId), \(webhookId), \(eventId), \(eventType), \(number), 'https://example.com/hook',
                        '{"webhook-id": "msg_1"}'::jsonb, \(payload), \(status), '{"content-type": "text/plain"}'::jsonb,
                        'body', \(number * 40), \(error), \(ok), \(at))
                    RETURNING id
                    """, logger: logger
                ).decode(Int64.self) { logIds.append(id) }
            }
            return Delivery(eventId: eventId, taskId: taskId, failedLogId: logIds[0], succeededLogId: logIds[1])
        }
    }
}
