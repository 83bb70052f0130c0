import Foundation
import Storage
import Testing
import WebhookCore

/// `GET /api/v1/events/{event_id}` over in-memory stores: the event, its tasks and their attempts,
/// within the caller's tenant.
@Suite struct EventLookupHandlerTests {
    @Test func eventWithItsTasksAndAttempts() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            let delivery = try await r.database.addDelivery(webhookId: id, taskStatus: .success)

            for token in [r.adminA, r.viewerA] {
                let reply = try await r.send(.get, "/api/v1/events/\(delivery.eventId)", token: token)
                #expect(reply.status == 200, "\(reply)")
                let event = reply.data["event"] as? [String: Any] ?? [:]
                #expect(event["id"] as? String == delivery.eventId)
                #expect(event["type"] as? String == "job.failed")
                #expect(event["tenant_id"] as? Int == Int(Registry.tenantA))
                #expect((event["data"] as? [String: Any])?["n"] as? Int == 1)
                #expect(event.keys.contains("resource_key"))
                let tasks = reply.data["tasks"] as? [[String: Any]] ?? []
                #expect(tasks.count == 1)
                #expect(tasks.first?["task_id"] as? Int == Int(delivery.taskId))
                #expect(tasks.first?["webhook_id"] as? Int == Int(id))
                #expect(tasks.first?["webhook_name"] as? String == "hook")
                #expect(tasks.first?["status"] as? String == "success")
                #expect(tasks.first?["attempts"] as? Int == 2)
                let attempts = reply.data["attempts"] as? [[String: Any]] ?? []
                #expect(attempts.map { $0["id"] as? Int } == [Int(delivery.failedLogId), Int(delivery.succeededLogId)])
                #expect(attempts.map { $0["attempt"] as? Int } == [1, 2])
                #expect(attempts.map { $0["success"] as? Bool } == [false, true])
                #expect(attempts.map { $0["response_status"] as? Int } == [500, 200])
                #expect(attempts.first?["duration_ms"] as? Int == 40)
            }

            // An operator names the tenant; without it, only tenant-less events are found.
            let root = try await r.send(.get, "/api/v1/events/\(delivery.eventId)?tenant_id=\(Registry.tenantA)", token: r.root)
            #expect(root.status == 200, "\(root)")
            #expect((root.data["tasks"] as? [[String: Any]])?.count == 1)
            let rootNoTenant = try await r.send(.get, "/api/v1/events/\(delivery.eventId)", token: r.root)
            #expect(rootNoTenant.status == 404)
            #expect(rootNoTenant.code == "E_NOT_FOUND")
        }
    }

    @Test func otherTenantsAndUnknownEventsAreNotFound() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            let delivery = try await r.database.addDelivery(webhookId: id)
            let other = try await r.send(.get, "/api/v1/events/\(delivery.eventId)", token: r.adminB)
            #expect(other.status == 404, "\(other)")
            #expect(other.code == "E_NOT_FOUND")
            let named = try await r.send(.get, "/api/v1/events/\(delivery.eventId)?tenant_id=\(Registry.tenantA)", token: r.adminB)
            #expect(named.status == 404)
            let unknown = try await r.send(.get, "/api/v1/events/evt_nowhere", token: r.adminA)
            #expect(unknown.status == 404)
            #expect(unknown.code == "E_NOT_FOUND")
            let publisher = try await r.send(.get, "/api/v1/events/\(delivery.eventId)", token: r.publisherA)
            #expect(publisher.status == 403)
            #expect(publisher.code == "E_FORBIDDEN")
            let anonymous = try await r.send(.get, "/api/v1/events/\(delivery.eventId)")
            #expect(anonymous.status == 401)
            let badTenant = try await r.send(.get, "/api/v1/events/\(delivery.eventId)?tenant_id=x", token: r.root)
            #expect(badTenant.status == 400)
        }
    }

    @Test func tenantLessEventForOperators() async throws {
        try await Registry.run { r in
            let now = Date()
            await r.database.addEvent(
                EventRecord(
                    id: "evt_system_1", type: "system.notice", tenantId: nil, resourceKey: "system", occurredAt: now, receivedAt: now,
                    payload: #"{"ok": true}"#))
            let reply = try await r.send(.get, "/api/v1/events/evt_system_1", token: r.root)
            #expect(reply.status == 200, "\(reply)")
            let event = reply.data["event"] as? [String: Any] ?? [:]
            #expect(event["tenant_id"] is NSNull)
            #expect(event["resource_key"] as? String == "system")
            #expect((reply.data["tasks"] as? [Any])?.isEmpty == true)
            let tenant = try await r.send(.get, "/api/v1/events/evt_system_1", token: r.adminA)
            #expect(tenant.status == 404)
        }
    }
}
