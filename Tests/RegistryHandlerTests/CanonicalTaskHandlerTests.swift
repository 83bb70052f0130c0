import Foundation
import Messaging
import Testing
import WebhookCore

/// The canonical task, log, statistics and account routes over in-memory stores.
@Suite struct CanonicalTaskHandlerTests {
    @Test func tasksListReadAndRetry() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            let first = try await r.database.addDelivery(webhookId: id, taskStatus: .failed)
            let second = try await r.database.addDelivery(webhookId: id, eventType: "job.succeeded", taskStatus: .success)

            let listed = try await r.send(.get, "/api/v1/tasks?webhook_id=\(id)", token: r.viewerA)
            #expect(listed.status == 200, "\(listed)")
            #expect(listed.items.map { $0["task_id"] as? Int } == [Int(second.taskId), Int(first.taskId)])
            #expect(listed.items.first?["event_type"] as? String == "job.succeeded")
            #expect((listed.data["pagination"] as? [String: Any])?["total"] as? Int == 2)
            let failed = try await r.send(.get, "/api/v1/tasks?status=failed", token: r.adminA)
            #expect(failed.items.map { $0["task_id"] as? Int } == [Int(first.taskId)])
            let ofWebhook = try await r.send(.get, "/api/v1/webhooks/\(id)/tasks?page_size=1", token: r.adminA)
            #expect(ofWebhook.items.count == 1)
            #expect((ofWebhook.data["pagination"] as? [String: Any])?["total_pages"] as? Int == 2)

            let task = try await r.send(.get, "/api/v1/tasks/\(first.taskId)", token: r.adminA)
            #expect(task.status == 200)
            #expect(task.data["status"] as? String == "failed")
            #expect(task.data["webhook_id"] as? Int == Int(id))
            #expect(task.data["tenant_id"] as? Int == Int(Registry.tenantA))

            let retried = try await r.send(.post, "/api/v1/tasks/\(first.taskId)/retry", token: r.adminA)
            #expect(retried.status == 202, "\(retried)")
            #expect(retried.object["message"] as? String == "Task scheduled for retry")
            #expect(retried.data["status"] as? String == "retry")
            let queued = await r.broker.messages(on: WebhookTopology.tasksExchange)
            #expect(queued.count == 1)
            #expect(queued.first?.routingKey == WebhookTopology.deliverRoutingKey)
            let message = try #require(queued.first?.message.body)
            #expect((try JSONSerialization.jsonObject(with: Data(message)) as? [String: Any])?["task_id"] as? Int == Int(first.taskId))

            // Not visible to another tenant, nor to a viewer's retry.
            let hidden = try await r.send(.get, "/api/v1/tasks/\(first.taskId)", token: r.adminB)
            #expect(hidden.status == 404)
            #expect(hidden.code == "E_TASK_NOT_FOUND")
            #expect(try await r.send(.post, "/api/v1/tasks/\(first.taskId)/retry", token: r.adminB).code == "E_TASK_NOT_FOUND")
            #expect(try await r.send(.post, "/api/v1/tasks/\(first.taskId)/retry", token: r.viewerA).status == 403)
            #expect(try await r.send(.get, "/api/v1/tasks/nope", token: r.adminA).code == "E_TASK_NOT_FOUND")
            #expect(await r.broker.messages(on: WebhookTopology.tasksExchange).count == 1)
        }
    }

    @Test func retryWithTheBrokerDownIs503AndStaysDue() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            let delivery = try await r.database.addDelivery(webhookId: id)
            await r.broker.setFailure(AMQPError(.notConnected, "not connected"))
            let reply = try await r.send(.post, "/api/v1/tasks/\(delivery.taskId)/retry", token: r.adminA)
            #expect(reply.status == 503)
            #expect(reply.code == "E_BROKER_UNAVAILABLE")
            #expect(reply.header("Retry-After") == "5")
            #expect(await r.database.task(delivery.taskId)?.status == .retry, "the task stays due for the next sweep")
        }
    }

    @Test func recoverFailedTasks() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            let old = try await r.database.addDelivery(webhookId: id, createdAt: Date().addingTimeInterval(-7200))
            let recent = try await r.database.addDelivery(webhookId: id)
            _ = try await r.database.addDelivery(webhookId: id, taskStatus: .success)
            let other = try await r.createWebhook(token: r.adminB)
            _ = try await r.database.addDelivery(webhookId: other)

            let since = Timestamp.format(Date().addingTimeInterval(-3600))
            let reply = try await r.send(.post, "/api/v1/tasks/recover", token: r.adminA, body: #"{"since": "\#(since)"}"#)
            #expect(reply.status == 202, "\(reply)")
            #expect(reply.data["task_ids"] as? [Int] == [Int(recent.taskId)])
            #expect(reply.data["count"] as? Int == 1)
            #expect(await r.database.task(old.taskId)?.status == .failed)
            #expect(await r.broker.messages(on: WebhookTopology.tasksExchange).count == 1)

            let bad = try await r.send(.post, "/api/v1/tasks/recover", token: r.adminA, body: #"{"since": "yesterday"}"#)
            #expect(bad.status == 400)
            #expect(bad.code == "E_INVALID_VALUE")
            let missing = try await r.send(.post, "/api/v1/tasks/recover", token: r.adminA, body: "{}")
            #expect(missing.code == "E_MISSING_FIELD")
            let limit = try await r.send(.post, "/api/v1/tasks/recover", token: r.adminA, body: #"{"since": "\#(since)", "limit": 0}"#)
            #expect(limit.code == "E_INVALID_VALUE")
            let foreign = try await r.send(.post, "/api/v1/tasks/recover", token: r.adminA, body: #"{"since": "\#(since)", "webhook_id": \#(other)}"#)
            #expect(foreign.status == 404)
        }
    }

    @Test func logsListReadStatsAndRetry() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            let delivery = try await r.database.addDelivery(webhookId: id)

            let listed = try await r.send(.get, "/api/v1/webhooks/\(id)/logs", token: r.viewerA)
            #expect(listed.status == 200, "\(listed)")
            #expect(listed.items.map { $0["log_id"] as? Int } == [Int(delivery.succeededLogId), Int(delivery.failedLogId)], "newest first")
            #expect(listed.items.first?["status_code"] as? Int == 200)
            #expect(listed.items.first?["test"] as? Bool == false)
            let failedOnly = try await r.send(.get, "/api/v1/logs?webhook_id=\(id)&status=failed", token: r.adminA)
            #expect(failedOnly.items.map { $0["log_id"] as? Int } == [Int(delivery.failedLogId)])
            #expect(failedOnly.items.first?["error"] as? String == "HTTP 500")
            let paged = try await r.send(.get, "/api/v1/logs?page=2&page_size=1", token: r.adminA)
            #expect(paged.items.map { $0["log_id"] as? Int } == [Int(delivery.failedLogId)])
            #expect(try await r.send(.get, "/api/v1/logs?status=maybe", token: r.adminA).code == "E_INVALID_QUERY")
            #expect(try await r.send(.get, "/api/v1/logs?since=yesterday", token: r.adminA).code == "E_INVALID_QUERY")
            #expect(try await r.send(.get, "/api/v1/logs", token: r.adminB).items.isEmpty)

            let log = try await r.send(.get, "/api/v1/logs/\(delivery.failedLogId)", token: r.adminA)
            #expect(log.status == 200)
            #expect(log.data["task_id"] as? Int == Int(delivery.taskId))
            #expect(log.data["attempt"] as? Int == 1)
            let hidden = try await r.send(.get, "/api/v1/logs/\(delivery.failedLogId)", token: r.adminB)
            #expect(hidden.status == 404)
            #expect(hidden.code == "E_LOG_NOT_FOUND")

            let stats = try await r.send(.get, "/api/v1/webhooks/\(id)/stats?hours=1", token: r.adminA)
            #expect(stats.status == 200, "\(stats)")
            #expect(stats.data["total"] as? Int == 2)
            #expect(stats.data["succeeded"] as? Int == 1)
            #expect(stats.data["failed"] as? Int == 1)
            #expect(stats.data["window_hours"] as? Int == 1)
            #expect((stats.data["tasks"] as? [String: Int])?["failed"] == 1)
            let series = (stats.data["series"] as? [[String: Any]]) ?? []
            #expect(series.reduce(0) { $0 + ($1["succeeded"] as? Int ?? 0) } == 1)
            #expect(series.reduce(0) { $0 + ($1["failed"] as? Int ?? 0) } == 1)
            let week = try await r.send(.get, "/api/v1/webhooks/\(id)/stats?hours=168", token: r.adminA)
            #expect(week.data["bucket_seconds"] as? Int == 6 * 3600)
            #expect(try await r.send(.get, "/api/v1/webhooks/\(id)/stats?hours=0", token: r.adminA).code == "E_INVALID_QUERY")

            let retried = try await r.send(.post, "/api/v1/logs/\(delivery.failedLogId)/retry", token: r.adminA)
            #expect(retried.status == 202, "\(retried)")
            #expect(retried.data["task_id"] as? Int == Int(delivery.taskId))
            #expect(await r.database.task(delivery.taskId)?.status == .retry)
            #expect(try await r.send(.post, "/api/v1/logs/999999/retry", token: r.adminA).code == "E_LOG_NOT_FOUND")
        }
    }

    @Test func testSendIsLoggedAndNotRetryable() async throws {
        try await Registry.run { r in
            // The SSRF guard refuses loopback: the send fails at once and is still recorded.
            let id = try await r.createWebhook(url: "https://127.0.0.1:9/hook")
            let sent = try await r.send(.post, "/api/v1/webhooks/\(id)/test", token: r.adminA)
            #expect(sent.status == 200, "\(sent)")
            #expect(sent.object["message"] as? String == "Test request failed")
            #expect(sent.data["success"] as? Bool == false)
            #expect(sent.data["event_type"] as? String == EventCatalogue.testEventType)
            #expect(sent.data["error"] is String)
            let logId = try #require(sent.data["log_id"] as? Int)

            let tests = try await r.send(.get, "/api/v1/webhooks/\(id)/logs?test=true", token: r.adminA)
            #expect(tests.items.map { $0["log_id"] as? Int } == [logId])
            #expect(tests.items.first?["task_id"] as? Int == 0)
            #expect(try await r.send(.get, "/api/v1/webhooks/\(id)/logs?test=false", token: r.adminA).items.isEmpty)
            let stats = try await r.send(.get, "/api/v1/webhooks/\(id)/stats", token: r.adminA)
            #expect(stats.data["total"] as? Int == 0)
            #expect(stats.data["test_attempts"] as? Int == 1)

            let retry = try await r.send(.post, "/api/v1/logs/\(logId)/retry", token: r.adminA)
            #expect(retry.status == 409)
            #expect(retry.code == "E_LOG_NOT_RETRYABLE")
            #expect(try await r.send(.post, "/api/v1/webhooks/\(id)/test", token: r.viewerA).status == 403)
        }
    }

    @Test func eventTypeCatalogue() async throws {
        try await Registry.run { r in
            let reply = try await r.send(.get, "/api/v1/event-types", token: r.viewerA)
            #expect(reply.status == 200)
            let types = (reply.data["items"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(Set(types) == Set(EventCatalogue.all.map(\.type)))
            #expect(types == types.sorted(), "listed by type")
        }
    }

    @Test func usersAndLogin() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/api/v1/users", token: r.adminA,
                body: #"{"username": "alice", "password": "correct horse", "role": "viewer"}"#)
            #expect(created.status == 201, "\(created)")
            #expect(created.data["username"] as? String == "alice")
            #expect(created.data["tenant_id"] as? Int == Int(Registry.tenantA), "a tenant admin creates users of its tenant")
            #expect(created.data["password_hash"] == nil && created.data["password"] == nil)
            let duplicate = try await r.send(
                .post, "/api/v1/users", token: r.root,
                body: #"{"username": "alice", "password": "another one", "role": "admin"}"#)
            #expect(duplicate.status == 409)
            #expect(duplicate.code == "E_USER_EXISTS")
            let short = try await r.send(.post, "/api/v1/users", token: r.root, body: #"{"username": "bob", "password": "short", "role": "admin"}"#)
            #expect(short.code == "E_INVALID_VALUE")
            let badRole = try await r.send(.post, "/api/v1/users", token: r.root, body: #"{"username": "bob", "password": "long enough", "role": "owner"}"#)
            #expect(badRole.status == 400)
            #expect(
                try await r.send(
                    .post, "/api/v1/users", token: r.adminB,
                    body: #"{"username": "eve", "password": "long enough", "role": "admin", "tenant_id": \#(Registry.tenantA)}"#
                ).status == 403)

            let listed = try await r.send(.get, "/api/v1/users", token: r.adminA)
            #expect((listed.data["items"] as? [[String: Any]])?.compactMap { $0["username"] as? String } == ["alice"])
            #expect((try await r.send(.get, "/api/v1/users", token: r.adminB).data["items"] as? [Any])?.isEmpty == true)
            #expect(try await r.send(.get, "/api/v1/users", token: r.viewerA).status == 403)

            let login = try await r.send(.post, "/api/auth/login", body: #"{"username": "alice", "password": "correct horse"}"#)
            #expect(login.status == 200, "\(login)")
            #expect(login.object["role"] as? String == "viewer")
            #expect(login.object["tenant_id"] as? Int == Int(Registry.tenantA))
            let token = try #require(login.object["access_token"] as? String)
            #expect(try await r.send(.get, "/api/v1/webhooks", token: token).status == 200)
            #expect(try await r.send(.post, "/api/v1/webhooks", token: token, body: #"{"url": "https://example.com/x", "events": ["*"]}"#).status == 403)
            let wrong = try await r.send(.post, "/api/auth/login", body: #"{"username": "alice", "password": "wrong horse"}"#)
            #expect(wrong.status == 401)
            #expect(wrong.code == "E_INVALID_CREDENTIALS")
            #expect(try await r.send(.post, "/api/auth/login", body: #"{"username": "nobody", "password": "x"}"#).code == "E_INVALID_CREDENTIALS")
        }
    }

    @Test func publisherTokens() async throws {
        try await Registry.run { r in
            let issued = try await r.send(.post, "/api/v1/tokens", token: r.adminA, body: #"{"subject": "ci", "expires_in": 3600}"#)
            #expect(issued.status == 201, "\(issued)")
            #expect(issued.data["role"] as? String == "publisher")
            #expect(issued.data["expires_in"] as? Int == 3600)
            let token = try #require(issued.data["access_token"] as? String)
            let identity = await r.tokens.verify(token)
            #expect(identity?.subject == "ci")
            #expect(identity?.tenantId == Registry.tenantA)
            #expect(try await r.send(.post, "/api/v1/tokens", token: r.adminA, body: #"{"subject": "ci", "expires_in": 5}"#).code == "E_INVALID_VALUE")
            #expect(try await r.send(.post, "/api/v1/tokens", token: r.publisherA, body: #"{"subject": "ci"}"#).status == 403)
        }
    }
}
