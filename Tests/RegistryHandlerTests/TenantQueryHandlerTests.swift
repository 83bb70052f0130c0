import Foundation
import Testing
import WebhookCore

/// The tenant-parameter dialect (`/api/webhooks` without trailing slash, `{"code","msg","data"}`)
/// over in-memory stores.
@Suite struct TenantQueryHandlerTests {
    /// The dialect's error envelope: a string code, `msg`, `data: null`, no `message`.
    func expectError(_ reply: Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.code == code, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["msg"] is String, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["data"] is NSNull, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["message"] == nil, "\(reply)", sourceLocation: sourceLocation)
    }

    @Test func createListDelete() async throws {
        try await Registry.run { r in
            let tenant = Registry.tenantB
            let created = try await r.send(
                .post, "/api/webhooks", token: r.root,
                body: #"{"secret": "string", "tenant_id": \#(tenant), "url": "https://example.com/tq"}"#)
            #expect(created.status == 201, "\(created)")
            #expect(created.object["code"] as? Int == 0)
            #expect(created.object["msg"] as? String == "success")
            let id = try #require(created.data["id"] as? Int)
            #expect(created.object["webhook_id"] as? Int == id, "the named create's fields at the top")
            #expect(created.object["status"] as? String == "active")
            #expect(created.data["events"] as? [String] == ["*"], "endpoints of this dialect receive every event")
            #expect(created.data["tenant_id"] as? Int == Int(tenant))
            #expect(created.data["secret"] == nil)
            #expect(await r.database.webhook(Int64(id))?.secret == "string")

            // The named shape.
            let named = try await r.send(
                .post, "/api/webhooks", token: r.adminB,
                body: #"{"name": "n", "url": "https://example.com/named", "secret": "s", "events": ["job.failed"]}"#)
            #expect(named.status == 201, "\(named)")
            #expect(named.data["events"] as? [String] == ["job.failed"])
            #expect(named.data["name"] as? String == "n")

            let listed = try await r.send(.get, "/api/webhooks?tenant_id=\(tenant)", token: r.root)
            #expect(listed.status == 200, "\(listed)")
            #expect(listed.object["msg"] as? String == "success")
            #expect(listed.dataArray.map { $0["url"] as? String } == ["https://example.com/named", "https://example.com/tq"])
            #expect(listed.dataArray.allSatisfy { $0["secret"] == nil && $0["created_at"] is String })
            let page = try await r.send(.get, "/api/webhooks?tenant_id=\(tenant)&page=2&page_size=1", token: r.root)
            #expect(page.dataArray.map { $0["id"] as? Int } == [id])
            #expect(try await r.send(.get, "/api/webhooks?tenant_id=\(Registry.tenantA)", token: r.root).dataArray.isEmpty)
            expectError(try await r.send(.get, "/api/webhooks?page_size=501", token: r.root), 400, "E_INVALID_QUERY")
            expectError(try await r.send(.get, "/api/webhooks?tenant_id=abc", token: r.root), 400, "E_INVALID_QUERY")

            let deleted = try await r.send(.post, "/api/webhooks/delete", token: r.root, body: #"{"id": \#(id)}"#)
            #expect(deleted.status == 200, "\(deleted)")
            #expect(deleted.data["id"] as? Int == id)
            #expect(await r.database.webhook(Int64(id)) == nil)
            expectError(try await r.send(.post, "/api/webhooks/delete", token: r.root, body: #"{"id": \#(id)}"#), 404, "E_NOT_FOUND")
            #expect(await r.notices().map { $0["change"] as? String } == ["created", "created", "deleted"])
        }
    }

    @Test func tasksAndRetry() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook(url: "https://example.com/tq-tasks")
            let delivery = try await r.database.addDelivery(webhookId: id)
            let tasks = try await r.send(.get, "/api/webhooks/tasks?tenant_id=\(Registry.tenantA)", token: r.adminA)
            #expect(tasks.status == 200, "\(tasks)")
            let task = try #require(tasks.dataArray.first)
            #expect(task["id"] as? Int == Int(delivery.taskId))
            #expect(task["event"] as? String == "job.failed")
            #expect(task["status"] as? String == "failed")
            #expect(task["retries"] as? Int == 2)
            #expect(task["url"] as? String == "https://example.com/tq-tasks")
            #expect(try await r.send(.get, "/api/webhooks/tasks?status=success", token: r.adminA).dataArray.isEmpty)
            #expect(try await r.send(.get, "/api/webhooks/tasks", token: r.adminB).dataArray.isEmpty)
            expectError(try await r.send(.get, "/api/webhooks/tasks?status=lost", token: r.adminA), 400, "E_INVALID_QUERY")

            let retried = try await r.send(.post, "/api/webhooks/tasks/retry", token: r.adminA, body: #"{"id": \#(delivery.taskId)}"#)
            #expect(retried.status == 200, "\(retried)")
            #expect(retried.data["id"] as? Int == Int(delivery.taskId))
            #expect(await r.database.task(delivery.taskId)?.status == .retry)
            #expect(await r.broker.messages(on: WebhookTopology.tasksExchange).count == 1)
            expectError(
                try await r.send(.post, "/api/webhooks/tasks/retry", token: r.adminB, body: #"{"id": \#(delivery.taskId)}"#),
                404, "E_TASK_NOT_FOUND")
        }
    }

    @Test func errorsInTheDialectEnvelope() async throws {
        try await Registry.run { r in
            expectError(try await r.send(.get, "/api/webhooks"), 401, "E_UNAUTHORIZED")
            expectError(try await r.send(.post, "/api/webhooks/delete", token: "invalid", body: #"{"id": 1}"#), 401, "E_UNAUTHORIZED")
            expectError(try await r.send(.post, "/api/webhooks", token: r.viewerA, body: #"{"url": "https://example.com/v"}"#), 403, "E_FORBIDDEN")
            expectError(try await r.send(.post, "/api/webhooks", token: r.adminA, body: "[1, 2"), 400, "E_INVALID_JSON")
            expectError(
                try await r.send(
                    .post, "/api/webhooks", token: r.adminA,
                    body: #"{"url": "https://example.com/t", "tenant_id": \#(Registry.tenantB)}"#), 403, "E_FORBIDDEN")
            expectError(try await r.send(.post, "/api/webhooks/delete", token: r.adminA, body: "{}"), 400, "E_MISSING_FIELD")
            expectError(try await r.send(.post, "/api/webhooks/delete", token: r.adminA, body: #"{"id": "seven"}"#), 400, "E_WRONG_TYPE")
            _ = try await r.createWebhook(url: "https://example.com/same")
            expectError(
                try await r.send(.post, "/api/webhooks", token: r.adminA, body: #"{"url": "https://example.com/same"}"#),
                409, "E_ENDPOINT_EXISTS")
        }
    }
}
