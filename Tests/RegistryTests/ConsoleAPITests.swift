import Foundation
import Logging
import TestSupport
import Testing

/// The console's API on PostgreSQL: portal links refused once revoked or expired, and the event
/// lookup showing a delivered event's tasks and attempts.
@Suite struct ConsoleAPITests {
    @Test func portalTokenRefusedAfterRevocationAndAfterExpiry() async throws {
        try await Harness.run { h in
            let created = try await h.send(
                .post, "/api/v1/portal-sessions", token: h.callers.root, body: #"{"tenant_id": \#(h.tenantA), "role": "viewer"}"#)
            #expect(created.status == 201, "\(created)")
            let token = try #require(created.data["token"] as? String)
            let id = try #require(created.data["id"] as? String)
            let before = try await h.send(.get, "/api/v1/webhooks", token: token)
            #expect(before.status == 200, "\(before)")
            let listed = try await h.send(.get, "/api/v1/portal-sessions", token: h.callers.adminA)
            #expect((listed.data["items"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true, "\(listed)")
            let otherTenant = try await h.send(.get, "/api/v1/portal-sessions", token: h.callers.adminB)
            #expect((otherTenant.data["items"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == false)

            let revoked = try await h.send(.delete, "/api/v1/portal-sessions/\(id)", token: h.callers.adminA)
            #expect(revoked.status == 204, "\(revoked)")
            let after = try await h.send(.get, "/api/v1/webhooks", token: token)
            #expect(after.status == 401, "\(after)")
            #expect(after.code == "E_UNAUTHORIZED")
            let stored = try await Fixtures.withDatabase { client in
                var revokedAt = false
                for try await set in try await client.query(
                    "SELECT revoked_at IS NOT NULL FROM portal_sessions WHERE id = \(UUID(uuidString: id)!)", logger: Logger(label: "fixtures")
                ).decode(Bool.self) { revokedAt = set }
                return revokedAt
            }
            #expect(stored)

            let short = try await h.send(.post, "/api/v1/portal-sessions", token: h.callers.adminA, body: #"{"ttl_seconds": 1}"#)
            #expect(short.status == 201, "\(short)")
            let shortToken = try #require(short.data["token"] as? String)
            let fresh = try await h.send(.get, "/api/v1/webhooks", token: shortToken)
            #expect(fresh.status == 200, "\(fresh)")
            try await Task.sleep(for: .milliseconds(2500))
            let expired = try await h.send(.get, "/api/v1/webhooks", token: shortToken)
            #expect(expired.status == 401, "\(expired)")
            #expect(expired.code == "E_UNAUTHORIZED")
        }
    }

    @Test func eventLookupShowsTasksAndAttemptsOfADeliveredEvent() async throws {
        try await Harness.run { h in
            let webhook = try await h.createWebhook()
            // A tenant-less event (the fixture's), seen by an operator without `tenant_id`.
            let delivery = try await Fixtures.delivery(webhookId: webhook, taskStatus: "success")
            let reply = try await h.send(.get, "/api/v1/events/\(delivery.eventId)", token: h.callers.root)
            #expect(reply.status == 200, "\(reply)")
            let event = reply.data["event"] as? [String: Any] ?? [:]
            #expect(event["id"] as? String == delivery.eventId)
            #expect(event["tenant_id"] is NSNull)
            #expect((event["data"] as? [String: Any])?["id"] as? String == delivery.eventId)
            let tasks = reply.data["tasks"] as? [[String: Any]] ?? []
            #expect(tasks.map { $0["task_id"] as? Int } == [Int(delivery.taskId)])
            #expect(tasks.first?["webhook_id"] as? Int == Int(webhook))
            #expect(tasks.first?["webhook_name"] as? String == "test")
            #expect(tasks.first?["status"] as? String == "success")
            let attempts = reply.data["attempts"] as? [[String: Any]] ?? []
            #expect(attempts.map { $0["id"] as? Int } == [Int(delivery.failedLogId), Int(delivery.succeededLogId)], "\(reply)")
            #expect(attempts.map { $0["response_status"] as? Int } == [500, 200])
            #expect(attempts.map { $0["attempt"] as? Int } == [1, 2])
            // Tenants see their own events only.
            let tenant = try await h.send(.get, "/api/v1/events/\(delivery.eventId)", token: h.callers.adminA)
            #expect(tenant.status == 404)
            #expect(tenant.code == "E_NOT_FOUND")

            // A tenant's event, with the same id in another scope.
            let eventId = "evt_console_" + UUID().uuidString
            let tenantA = h.tenantA
            try await Fixtures.withDatabase { client in
                let logger = Logger(label: "fixtures")
                try await client.query(
                    """
                    INSERT INTO events (id, type, tenant_id, resource_key, occurred_at, payload)
                    VALUES (\(eventId), 'job.failed', \(tenantA), 'project/api', now(), '{"n": 1}'), (\(eventId), 'job.failed', NULL, NULL, now(), '{}')
                    """, logger: logger)
                try await client.query(
                    """
                    INSERT INTO delivery_tasks (event_scope, event_id, webhook_id, status, attempts, next_try_at, last_status_code)
                    VALUES (\(tenantA), \(eventId), \(webhook), 'retry', 1, now() + interval '1 minute', 503)
                    """, logger: logger)
            }
            let own = try await h.send(.get, "/api/v1/events/\(eventId)", token: h.callers.viewerA)
            #expect(own.status == 200, "\(own)")
            #expect((own.data["event"] as? [String: Any])?["resource_key"] as? String == "project/api")
            let ownTasks = own.data["tasks"] as? [[String: Any]] ?? []
            #expect(ownTasks.count == 1)
            #expect(ownTasks.first?["status"] as? String == "retry")
            #expect(ownTasks.first?["next_try_at"] is String)
            #expect((own.data["attempts"] as? [Any])?.isEmpty == true)
            let operatorNamed = try await h.send(.get, "/api/v1/events/\(eventId)?tenant_id=\(tenantA)", token: h.callers.root)
            #expect((operatorNamed.data["tasks"] as? [Any])?.count == 1, "\(operatorNamed)")
            let systemOne = try await h.send(.get, "/api/v1/events/\(eventId)", token: h.callers.root)
            #expect(systemOne.status == 200)
            #expect((systemOne.data["tasks"] as? [Any])?.isEmpty == true)
            let otherTenant = try await h.send(.get, "/api/v1/events/\(eventId)", token: h.callers.adminB)
            #expect(otherTenant.status == 404)
        }
    }

    /// `GET /api/v1/events` on PostgreSQL: one tenant's events newest arrival first, by type,
    /// resource key and time range, in pages; another tenant's and tenant-less events stay out.
    @Test func eventListingOnPostgreSQL() async throws {
        try await Harness.run { h in
            let tenantA = h.tenantA, tenantB = h.tenantB
            let run = UUID().uuidString.prefix(8).lowercased()
            try await Fixtures.withDatabase { client in
                let logger = Logger(label: "fixtures")
                for n in 0..<4 {
                    let type = n.isMultiple(of: 2) ? "job.failed" : "job.completed", key = n < 2 ? "project/api" : "project/web"
                    try await client.query(
                        """
                        INSERT INTO events (id, type, tenant_id, resource_key, occurred_at, received_at, payload)
                        VALUES (\("evt_\(run)_\(n)"), \(type), \(tenantA), \(key), now(), '2026-03-01T10:00:00Z'::timestamptz + \(n) * interval '1 minute',
                                \(#"{"n": \#(n)}"#))
                        """, logger: logger)
                }
                try await client.query(
                    """
                    INSERT INTO events (id, type, tenant_id, resource_key, occurred_at, received_at, payload)
                    VALUES (\("evt_\(run)_b"), 'job.failed', \(tenantB), 'project/api', now(), '2026-03-01T10:00:00Z', '{}'),
                           (\("evt_\(run)_sys"), 'job.failed', NULL, 'project/api', now(), '2026-03-01T10:00:00Z', '{}')
                    """, logger: logger)
            }
            func ids(_ query: String, token: String) async throws -> [String] {
                let reply = try await h.send(.get, "/api/v1/events?\(query)", token: token)
                #expect(reply.status == 200, "\(reply)")
                return (reply.data["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.filter { $0.hasPrefix("evt_\(run)") }
            }
            let window = "since=2026-03-01T10:00:00Z&until=2026-03-01T11:00:00Z"
            #expect(try await ids(window, token: h.callers.viewerA) == (0..<4).reversed().map { "evt_\(run)_\($0)" })
            #expect(try await ids("\(window)&type=job.failed", token: h.callers.adminA) == ["evt_\(run)_2", "evt_\(run)_0"])
            #expect(try await ids("\(window)&resource_key=project/web", token: h.callers.adminA) == ["evt_\(run)_3", "evt_\(run)_2"])
            #expect(
                try await ids("since=2026-03-01T10:01:00Z&until=2026-03-01T10:03:00Z", token: h.callers.adminA) == ["evt_\(run)_2", "evt_\(run)_1"],
                "since included, until not")
            #expect(try await ids("\(window)&page=2&page_size=3", token: h.callers.adminA) == ["evt_\(run)_0"])
            #expect(try await ids(window, token: h.callers.adminB) == ["evt_\(run)_b"])
            #expect(try await ids("\(window)&tenant_id=\(tenantA)&type=job.completed", token: h.callers.root) == ["evt_\(run)_3", "evt_\(run)_1"])
            #expect(try await ids(window, token: h.callers.root).contains("evt_\(run)_sys"))
        }
    }
}
