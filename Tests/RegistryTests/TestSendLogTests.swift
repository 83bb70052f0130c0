import Foundation
import Logging
import TestSupport
import Testing

/// Test sends (`WEBHOOK_TEST`) show up in the endpoint's logs in every dialect, marked as tests, with
/// the body the receiver got; they stay out of the statistics and of the endpoint's health, and their
/// logs cannot be retried.
@Suite struct TestSendLogTests {
    /// The items of a canonical page (`data.items`) or of a FastAPI-style page (`items`).
    func items(_ reply: Reply) -> [[String: Any]] {
        (reply.data["items"] as? [[String: Any]]) ?? (reply.object["items"] as? [[String: Any]]) ?? []
    }

    /// The webhook's health as the auto-disable rule reads it: status, consecutive failed tasks,
    /// failing since (set or not), last error.
    func health(_ id: Int64) async throws -> [String] {
        try await Fixtures.withDatabase { client in
            var out: [String] = []
            for try await (status, failed, since, error) in try await client.query(
                "SELECT status, consecutive_failed_tasks, failing_since::text, last_error FROM webhooks WHERE id = \(id)",
                logger: Logger(label: "fixtures")
            ).decode((String, Int, String?, String?).self) {
                out = [status, String(failed), since ?? "-", error ?? "-"]
            }
            return out
        }
    }

    @Test func canonicalLogsShowTheTestSendMarkedAndStatsLeaveItOut() async throws {
        let receiver = try await TestReceiver()
        defer { Task { await receiver.stop() } }
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            func check(_ method: String, _ template: String, _ reply: Reply, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(reply.status == status, "\(method) \(template): \(reply)", sourceLocation: sourceLocation)
                let problems = doc.problems(method, template, reply)
                #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
            }
            let id = try await h.createWebhook(
                url: receiver.url("/canonical-\(h.tenantA)"),
                extra: #""headers": {"X-Api-Key": "k-secret", "X-Team": "blue"}"#)
            let fixture = try await Fixtures.delivery(webhookId: id)

            // Sent by the tenant-less operator: recorded in the webhook's tenant all the same.
            let tested = try await h.send(.post, "/api/v1/webhooks/\(id)/test", token: h.callers.root)
            check("POST", "/api/v1/webhooks/{webhook_id}/test", tested, 200)
            let logId = try #require(tested.data["log_id"] as? Int, "\(tested)")
            let received = try #require(await receiver.waitForRequests(1).first)
            #expect(received.header("X-Api-Key") == "k-secret")

            let logs = try await h.send(.get, "/api/v1/webhooks/\(id)/logs", token: h.callers.viewerA)
            check("GET", "/api/v1/webhooks/{webhook_id}/logs", logs, 200)
            let listed = items(logs)
            #expect(listed.count == 3, "the test send and the fixture's two attempts: \(logs)")
            let item = try #require(listed.first { $0["log_id"] as? Int == logId }, "\(logs)")
            #expect(item["test"] as? Bool == true)
            #expect(item["event_type"] as? String == "WEBHOOK_TEST")
            #expect(item["task_id"] as? Int == 0, "a test send has no task")
            #expect(item["attempt"] as? Int == 1)
            #expect(item["status_code"] as? Int == 200)
            #expect(item["success"] as? Bool == true)
            #expect(item["error"] is NSNull)
            #expect(item["response_body"] as? String == "reply 1")
            #expect((item["response_headers"] as? [String: String])?["content-type"] == "text/plain")
            #expect(item["request_url"] as? String == receiver.url("/canonical-\(h.tenantA)"))
            #expect(Array(try #require(item["request_body"] as? String).utf8) == received.body, "the body exactly as the receiver got it")
            let headers = try #require(item["request_headers"] as? [String: String])
            #expect(headers["X-Api-Key"] == "[redacted]", "credential-like custom headers are masked, as delivery masks them")
            #expect(headers["X-Team"] == "blue")
            #expect(headers["webhook-signature"] == received.header("webhook-signature"))
            #expect(listed.filter { $0["log_id"] as? Int != logId }.allSatisfy { $0["test"] as? Bool == false })

            // Every other listing shows it too, in the webhook's tenant only.
            let all = try await h.send(.get, "/api/v1/logs?webhook_id=\(id)", token: h.callers.adminA)
            check("GET", "/api/v1/logs", all, 200)
            #expect(items(all).contains { $0["log_id"] as? Int == logId && $0["test"] as? Bool == true })
            let one = try await h.send(.get, "/api/v1/logs/\(logId)", token: h.callers.viewerA)
            check("GET", "/api/v1/logs/{log_id}", one, 200)
            #expect(one.data["test"] as? Bool == true)
            #expect(one.data["request_body"] as? String == received.bodyText)
            #expect(try await h.send(.get, "/api/v1/logs/\(logId)", token: h.callers.adminB).status == 404, "another tenant's log")
            let testsOnly = try await h.send(.get, "/api/v1/webhooks/\(id)/logs?test=true", token: h.callers.viewerA)
            check("GET", "/api/v1/webhooks/{webhook_id}/logs", testsOnly, 200)
            #expect(items(testsOnly).map { $0["log_id"] as? Int } == [logId])
            let deliveriesOnly = try await h.send(.get, "/api/v1/logs?webhook_id=\(id)&test=false", token: h.callers.viewerA)
            #expect(items(deliveriesOnly).map { $0["log_id"] as? Int } == [Int(fixture.succeededLogId), Int(fixture.failedLogId)])
            let byType = try await h.send(.get, "/api/v1/webhooks/\(id)/logs?event_type=WEBHOOK_TEST", token: h.callers.viewerA)
            #expect(items(byType).map { $0["log_id"] as? Int } == [logId])

            // The statistics are the deliveries' (40 ms failed, 80 ms succeeded); the test is counted apart.
            let stats = try await h.send(.get, "/api/v1/webhooks/\(id)/stats", token: h.callers.viewerA)
            check("GET", "/api/v1/webhooks/{webhook_id}/stats", stats, 200)
            #expect(stats.data["total"] as? Int == 2, "\(stats)")
            #expect(stats.data["succeeded"] as? Int == 1)
            #expect(stats.data["failed"] as? Int == 1)
            #expect(stats.data["success_rate"] as? Double == 0.5)
            #expect(stats.data["avg_response_time_ms"] as? Double == 60)
            #expect(stats.data["p50_ms"] as? Double == 60)
            #expect(stats.data["test_attempts"] as? Int == 1)

            // Nothing to retry.
            let retried = try await h.send(.post, "/api/v1/logs/\(logId)/retry", token: h.callers.adminA)
            check("POST", "/api/v1/logs/{log_id}/retry", retried, 409)
            #expect(retried.code == "E_LOG_NOT_RETRYABLE", "\(retried)")
            #expect(retried.object["data"] is NSNull)
            let tasks = try await h.send(.get, "/api/v1/tasks?webhook_id=\(id)", token: h.callers.adminA)
            #expect(items(tasks).count == 1, "no task was made for the test: \(tasks)")
        }
    }

    @Test func fastAPIStyleLogsShowTheTestSendMarkedAndStatsLeaveItOut() async throws {
        let receiver = try await TestReceiver()
        defer { Task { await receiver.stop() } }
        try await Harness.run { h in
            let token = h.callers.adminA
            let created = try await h.send(
                .post, "/api/webhooks/", token: token,
                body: """
                    {"url": "\(receiver.url("/atlas-\(h.tenantA)"))", "name": "atlas", "events": ["service.started"]}
                    """)
            #expect(created.status == 201, "\(created)")
            let id = try #require(created.object["id"] as? Int)
            _ = try await Fixtures.delivery(webhookId: Int64(id), eventType: "service.started")

            let tested = try await h.send(.post, "/api/webhooks/\(id)/test", token: token)
            #expect(tested.status == 200, "\(tested)")
            let logId = try #require(tested.object["log_id"] as? Int, "\(tested)")
            let received = try #require(await receiver.waitForRequests(1).first)

            let logs = try await h.send(.get, "/api/webhooks/\(id)/logs?limit=50", token: token)
            #expect(logs.status == 200, "\(logs)")
            #expect(logs.object["total"] as? Int == 3)
            let item = try #require(items(logs).first { $0["log_id"] as? Int == logId }, "\(logs)")
            #expect(item["test"] as? Bool == true)
            #expect(item["event_type"] as? String == "WEBHOOK_TEST")
            #expect(item["success"] as? Bool == true)
            #expect(Array(try #require(item["request_body"] as? String).utf8) == received.body)
            #expect(items(logs).filter { $0["success"] as? Bool == false }.count == 1, "`.items[] | select(.success==false)`")

            let recent = try await h.send(.get, "/api/webhooks/logs/recent?hours=1", token: token)
            #expect(recent.status == 200, "\(recent)")
            let fromRecent = try #require(items(recent).first { $0["log_id"] as? Int == logId }, "\(recent)")
            #expect(fromRecent["test"] as? Bool == true)
            #expect(fromRecent["request_body"] as? String == received.bodyText)

            let stats = try await h.send(.get, "/api/webhooks/\(id)/stats", token: token)
            #expect(stats.status == 200, "\(stats)")
            #expect(stats.object["total_deliveries"] as? Int == 2, "\(stats)")
            #expect(stats.object["successful_deliveries"] as? Int == 1)
            #expect(stats.object["failed_deliveries"] as? Int == 1)
            #expect(stats.object["success_rate"] as? Double == 0.5)
            #expect(stats.object["test_attempts"] as? Int == 1)
        }
    }

    @Test func bkRepoLogListShowsTheTestSendAndRetryingItIsRefused() async throws {
        let receiver = try await TestReceiver()
        defer { Task { await receiver.stop() } }
        try await Harness.run { h in
            let token = h.callers.adminA
            let created = try await h.send(
                .post, "/webhook/api/webhook/create", token: token,
                body: """
                    {"url": "\(receiver.url("/bkrepo-\(h.tenantA)"))", "triggers": ["NODE_CREATED"]}
                    """)
            #expect(created.status == 200, "\(created)")
            let id = try #require(created.data["id"] as? String)
            let fixture = try await Fixtures.delivery(webhookId: Int64(id)!, eventType: "NODE_CREATED")

            let tested = try await h.send(.get, "/webhook/api/webhook/test/\(id)", token: token)
            #expect(tested.status == 200, "\(tested)")
            #expect(tested.data["test"] as? Bool == true)
            let logId = try #require(tested.data["id"] as? String, "the test answer names its log")
            let received = try #require(await receiver.waitForRequests(1).first)

            let logs = try await h.send(.get, "/webhook/api/log/list/\(id)", token: token)
            #expect(logs.status == 200, "\(logs)")
            let list = (logs.object["data"] as? [[String: Any]]) ?? []
            #expect(list.count == 3)
            let log = try #require(list.first { $0["id"] as? String == logId }, "\(logs)")
            #expect(log["triggeredEvent"] as? String == "WEBHOOK_TEST")
            #expect(log["test"] as? Bool == true)
            #expect(log["status"] as? String == "SUCCESS")
            #expect(log["webhookUrl"] as? String == receiver.url("/bkrepo-\(h.tenantA)"))
            #expect(Array(try #require(log["requestPayload"] as? String).utf8) == received.body)
            #expect(list.filter { $0["id"] as? String != logId }.allSatisfy { $0["test"] as? Bool == false })

            let retried = try await h.send(.get, "/webhook/api/webhook/retry/\(logId)", token: token)
            #expect(retried.status == 409, "\(retried)")
            #expect(retried.code == "E_LOG_NOT_RETRYABLE")
            #expect(retried.object["traceId"] is String, "bkrepo's error envelope: \(retried)")
            #expect(retried.object["data"] is NSNull)
            // The refusal touched no task.
            let task = try await h.send(.get, "/api/v1/tasks/\(fixture.taskId)", token: token)
            #expect(task.data["status"] as? String == "failed")
        }
    }

    @Test func failingTestSendsNeverMoveTheEndpointTowardsAutoDisable() async throws {
        let failing = 5
        let receiver = try await TestReceiver { n, _ in ReceiverReply(status: n <= failing ? 500 : 200) }
        defer { Task { await receiver.stop() } }
        try await Harness.run { h in
            let id = try await h.createWebhook(url: receiver.url("/failing-\(h.tenantA)"))
            // One failed task short of the rule, failing for a day already.
            try await Fixtures.withDatabase { client in
                try await client.query(
                    """
                    UPDATE webhooks SET consecutive_failed_tasks = 4, failing_since = now() - interval '1 day', last_error = 'HTTP 502'
                    WHERE id = \(id)
                    """, logger: Logger(label: "fixtures"))
            }
            let before = try await health(id)
            #expect(before[0] == "active" && before[1] == "4")
            for _ in 0..<failing {
                let tested = try await h.send(.post, "/api/v1/webhooks/\(id)/test", token: h.callers.adminA)
                #expect(tested.status == 200)
                #expect(tested.data["status_code"] as? Int == 500)
                #expect(tested.data["log_id"] is Int, "\(tested)")
            }
            #expect(try await health(id) == before, "failing tests count neither as failed tasks nor as failing time")
            let webhook = try await h.send(.get, "/api/v1/webhooks/\(id)", token: h.callers.adminA)
            #expect(webhook.data["status"] as? String == "active")
            #expect(webhook.data["last_error"] as? String == "HTTP 502")
            // Nor does a successful one clear the deliveries' failure history.
            let ok = try await h.send(.post, "/api/v1/webhooks/\(id)/test", token: h.callers.adminA)
            #expect(ok.data["success"] as? Bool == true, "\(ok)")
            #expect(try await health(id) == before)

            let logs = try await h.send(.get, "/api/v1/webhooks/\(id)/logs?status=failed", token: h.callers.adminA)
            let failed = items(logs)
            #expect(failed.count == failing)
            #expect(failed.allSatisfy { $0["test"] as? Bool == true && $0["status_code"] as? Int == 500 && $0["error"] as? String == "HTTP 500" })
            let stats = try await h.send(.get, "/api/v1/webhooks/\(id)/stats", token: h.callers.adminA)
            #expect(stats.data["total"] as? Int == 0, "\(stats)")
            #expect(stats.data["failed"] as? Int == 0)
            #expect(stats.data["success_rate"] is NSNull)
            #expect(stats.data["last_attempt_at"] is NSNull)
            #expect(stats.data["test_attempts"] as? Int == failing + 1)
        }
    }
}
