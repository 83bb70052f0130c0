import Foundation
import TestSupport
import Testing

/// The tenant-parameter dialect (`/api/webhooks`, `{"code","msg","data"}`), its named create on the same POST.
@Suite struct TenantQueryDialectTests {
    /// The tenant-parameter error envelope: a string code and `msg`.
    func expectError(_ reply: Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.code == code, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["msg"] is String, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["message"] == nil, "\(reply)", sourceLocation: sourceLocation)
    }

    @Test func everyRouteAsItsClientsCallIt() async throws {
        try await Harness.run { h in
            let tenant = h.tenantA
            let url = "https://hooks.example.com/tenantQuery-\(tenant)"
            // Create, as its clients send it (secret, tenant_id, url), by a tenant-less operator.
            let created = try await h.send(
                .post, "/api/webhooks", token: h.callers.root,
                body: #"{"secret": "string", "tenant_id": \#(tenant), "url": "\#(url)"}"#)
            #expect(created.status == 201, "\(created)")
            #expect(created.object["code"] as? Int == 0)
            #expect(created.object["msg"] is String)
            let id = try #require(created.data["id"] as? Int)
            #expect(created.data["url"] as? String == url)
            #expect(created.data["events"] as? [String] == ["*"], "tenant-parameter endpoints receive every event")
            expectError(
                try await h.send(
                    .post, "/api/webhooks", token: h.callers.root,
                    body: #"{"secret": "string", "tenant_id": \#(tenant), "url": "\#(url)"}"#), 409, "E_ENDPOINT_EXISTS")
            expectError(try await h.send(.post, "/api/webhooks", token: "invalid"), 401, "E_UNAUTHORIZED")

            // List by tenant.
            let listed = try await h.send(.get, "/api/webhooks?tenant_id=\(tenant)", token: h.callers.root)
            #expect(listed.status == 200, "\(listed)")
            let items = try #require(listed.object["data"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["id"] as? Int == id)
            #expect(items.first?["status"] as? String == "active")
            #expect(items.first?["created_at"] is String)
            #expect(items.first?["secret"] == nil)
            expectError(try await h.send(.get, "/api/webhooks", token: "invalid"), 401, "E_UNAUTHORIZED")
            expectError(try await h.send(.get, "/api/webhooks?tenant_id=abc", token: h.callers.root), 400, "E_INVALID_QUERY")

            // Tasks of the tenant, and retry.
            let fixture = try await Fixtures.delivery(webhookId: Int64(id))
            let tasks = try await h.send(.get, "/api/webhooks/tasks?tenant_id=\(tenant)", token: h.callers.root)
            #expect(tasks.status == 200, "\(tasks)")
            let task = try #require((tasks.object["data"] as? [[String: Any]])?.first)
            #expect(task["id"] as? Int == Int(fixture.taskId))
            #expect(task["event"] as? String == "job.failed")
            #expect(task["status"] as? String == "failed")
            #expect(task["retries"] as? Int == 2)
            #expect(task["url"] as? String == url)
            #expect(task.keys.contains("next_try_at") && task["created_at"] is String)
            expectError(try await h.send(.get, "/api/webhooks/tasks", token: "invalid"), 401, "E_UNAUTHORIZED")

            let retried = try await h.send(.post, "/api/webhooks/tasks/retry", token: h.callers.root, body: #"{"id": \#(fixture.taskId)}"#)
            #expect(retried.status == 200, "\(retried)")
            #expect(retried.data["id"] as? Int == Int(fixture.taskId))
            let after = try await h.send(.get, "/api/webhooks/tasks?tenant_id=\(tenant)", token: h.callers.root)
            #expect((after.object["data"] as? [[String: Any]])?.first?["status"] as? String == "retry")
            expectError(try await h.send(.post, "/api/webhooks/tasks/retry", token: h.callers.root, body: #"{"id": 987654321}"#), 404, "E_TASK_NOT_FOUND")
            expectError(try await h.send(.post, "/api/webhooks/tasks/retry", token: h.callers.root, body: #"{"id": "x"}"#), 400, "E_WRONG_TYPE")
            expectError(try await h.send(.post, "/api/webhooks/tasks/retry", token: "invalid"), 401, "E_UNAUTHORIZED")

            // Delete.
            let deleted = try await h.send(.post, "/api/webhooks/delete", token: h.callers.root, body: #"{"id": \#(id)}"#)
            #expect(deleted.status == 200, "\(deleted)")
            #expect(deleted.data["id"] as? Int == id)
            expectError(try await h.send(.post, "/api/webhooks/delete", token: h.callers.root, body: #"{"id": \#(id)}"#), 404, "E_NOT_FOUND")
            expectError(try await h.send(.post, "/api/webhooks/delete", token: h.callers.root, body: #"{}"#), 400, "E_MISSING_FIELD")
            expectError(try await h.send(.post, "/api/webhooks/delete", token: "invalid"), 401, "E_UNAUTHORIZED")
        }
    }

    @Test func namedCreateAnswersWebhookIdAndStatusAtTheTop() async throws {
        try await Harness.run { h in
            let reply = try await h.send(
                .post, "/api/webhooks", token: h.callers.adminA,
                body: """
                    {"name": "任务完成通知", "url": "https://example.com/webhook-\(h.tenantA)", "secret": "your_secret_key",
                     "events": ["job.completed", "job.failed"]}
                    """)
            #expect(reply.status == 201, "\(reply)")
            #expect(reply.object["webhook_id"] is Int)
            #expect(reply.object["status"] as? String == "active")
            #expect(reply.data["events"] as? [String] == ["job.completed", "job.failed"])
            #expect(reply.data["tenant_id"] as? Int == Int(h.tenantA), "a tenant admin's webhooks go to its tenant")
            let bad = try await h.send(.post, "/api/webhooks", token: h.callers.adminA, body: #"{"url": "https://example.com/x", "events": ["bad type"]}"#)
            expectError(bad, 400, "E_INVALID_EVENTS")
        }
    }
}
