import Foundation
import TestSupport
import Testing

/// Tasks, attempt logs, stats, retries and recovery under `/api/v1`.
@Suite struct CanonicalTaskTests {
    @Test func enablingAnAutoDisabledWebhookClearsItsFailureHistory() async throws {
        try await Harness.run { h in
            let id = try await h.createWebhook()
            func history() async throws -> [String] {
                try await Fixtures.withDatabase { client in
                    var out: [String] = []
                    for try await (status, failed, since) in try await client.query(
                        "SELECT status, consecutive_failed_tasks, failing_since IS NOT NULL FROM webhooks WHERE id = \(id)",
                        logger: .init(label: "fixtures")
                    ).decode((String, Int, Bool).self) {
                        out = [status, String(failed), String(since)]
                    }
                    return out
                }
            }
            try await Fixtures.withDatabase { client in
                try await client.query(
                    """
                    UPDATE webhooks SET status = 'auto-disabled', disabled_reason = 'failing', consecutive_failed_tasks = 5,
                        failing_since = now() - interval '6 days'
                    WHERE id = \(id)
                    """, logger: .init(label: "fixtures"))
            }
            let renamed = try await h.send(.patch, "/api/v1/webhooks/\(id)", token: h.callers.adminA, body: #"{"name": "still off"}"#)
            #expect(renamed.status == 200)
            #expect(try await history() == ["auto-disabled", "5", "true"], "an edit that does not enable keeps the history")
            let enabled = try await h.send(.post, "/api/v1/webhooks/\(id)/enable", token: h.callers.adminA)
            #expect(enabled.status == 200)
            #expect(try await history() == ["active", "0", "false"])
        }
    }

    @Test func deletingAWebhookTakesItsTasksAndLogsAlong() async throws {
        try await Harness.run { h in
            let id = try await h.createWebhook()
            let fixture = try await Fixtures.delivery(webhookId: id)
            let other = try await h.createWebhook()
            _ = try await Fixtures.delivery(webhookId: other)
            func rows(_ webhook: Int64) async throws -> [Int] {
                try await Fixtures.withDatabase { client in
                    var counts: [Int] = []
                    for try await n in try await client.query(
                        """
                        SELECT count(*) FROM delivery_tasks WHERE webhook_id = \(webhook)
                        UNION ALL SELECT count(*) FROM delivery_attempts WHERE webhook_id = \(webhook)
                        UNION ALL SELECT count(*) FROM events WHERE id = \(fixture.eventId)
                        """, logger: .init(label: "fixtures")
                    ).decode(Int.self) {
                        counts.append(n)
                    }
                    return counts
                }
            }
            #expect(try await rows(id) == [1, 2, 1])
            let deleted = try await h.send(.delete, "/api/v1/webhooks/\(id)", token: h.callers.adminA)
            #expect(deleted.status == 204)
            #expect(try await rows(id) == [0, 0, 1], "tasks and attempts gone, the event kept")
            #expect(try await rows(other) == [1, 2, 1], "another webhook's rows untouched")
            let logs = try await h.send(.get, "/api/v1/logs/\(fixture.failedLogId)", token: h.callers.adminA)
            #expect(logs.status == 404)
        }
    }

    @Test func logsStatsAndTasksOfAWebhook() async throws {
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            func check(_ method: String, _ template: String, _ reply: Reply, _ status: Int) {
                #expect(reply.status == status, "\(method) \(template): \(reply)")
                let problems = doc.problems(method, template, reply)
                #expect(problems.isEmpty, "\(problems)")
            }
            let id = try await h.createWebhook()
            let fixture = try await Fixtures.delivery(webhookId: id)
            let token = h.callers.viewerA

            let logs = try await h.send(.get, "/api/v1/webhooks/\(id)/logs?page=1&page_size=20", token: token)
            check("GET", "/api/v1/webhooks/{webhook_id}/logs", logs, 200)
            let items = (logs.data["items"] as? [[String: Any]]) ?? []
            #expect(items.map { $0["log_id"] as? Int } == [Int(fixture.succeededLogId), Int(fixture.failedLogId)], "newest first")
            #expect(items.first?["event_type"] as? String == "job.failed")
            #expect(items.first?["status_code"] as? Int == 200)
            #expect(items.first?["response_body"] as? String == "body")

            let failedOnly = try await h.send(.get, "/api/v1/webhooks/\(id)/logs?status=failed", token: token)
            check("GET", "/api/v1/webhooks/{webhook_id}/logs", failedOnly, 200)
            #expect(((failedOnly.data["items"] as? [[String: Any]]) ?? []).map { $0["log_id"] as? Int } == [Int(fixture.failedLogId)])
            let later = try await h.send(.get, "/api/v1/webhooks/\(id)/logs?since=2999-01-01T00:00:00Z", token: token)
            #expect(((later.data["pagination"] as? [String: Any])?["total"] as? Int) == 0)
            let byType = try await h.send(.get, "/api/v1/webhooks/\(id)/logs?event_type=other.type", token: token)
            #expect(((byType.data["items"] as? [[String: Any]]) ?? []).isEmpty)

            let stats = try await h.send(.get, "/api/v1/webhooks/\(id)/stats?hours=24", token: token)
            check("GET", "/api/v1/webhooks/{webhook_id}/stats", stats, 200)
            #expect(stats.data["total"] as? Int == 2)
            #expect(stats.data["succeeded"] as? Int == 1)
            #expect(stats.data["success_rate"] as? Double == 0.5)
            #expect((stats.data["tasks"] as? [String: Any])?["failed"] as? Int == 1)
            // The series the console's chart is drawn from: hourly buckets that add up to the totals.
            #expect(stats.data["bucket_seconds"] as? Int == 3600)
            let series = (stats.data["series"] as? [[String: Any]]) ?? []
            #expect(series.reduce(0) { $0 + ($1["succeeded"] as? Int ?? 0) } == 1)
            #expect(series.reduce(0) { $0 + ($1["failed"] as? Int ?? 0) } == 1)
            for bucket in series {
                let start = try #require((bucket["start"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
                #expect(Int(start.timeIntervalSince1970) % 3600 == 0, "a bucket starts on the hour")
                #expect(bucket["p95_ms"] is Double)
            }

            let tasks = try await h.send(.get, "/api/v1/webhooks/\(id)/tasks", token: token)
            check("GET", "/api/v1/webhooks/{webhook_id}/tasks", tasks, 200)
            let task = ((tasks.data["items"] as? [[String: Any]]) ?? []).first
            #expect(task?["id"] as? Int == Int(fixture.taskId))
            #expect(task?["status"] as? String == "failed")
            #expect(task?["retries"] as? Int == 2)
            #expect(task?["event"] as? String == "job.failed")

            let all = try await h.send(.get, "/api/v1/tasks?status=failed&webhook_id=\(id)", token: token)
            check("GET", "/api/v1/tasks", all, 200)
            #expect(((all.data["items"] as? [[String: Any]]) ?? []).count == 1)
            check("GET", "/api/v1/tasks/{task_id}", try await h.send(.get, "/api/v1/tasks/\(fixture.taskId)", token: token), 200)
            check("GET", "/api/v1/logs", try await h.send(.get, "/api/v1/logs?webhook_id=\(id)&status=success", token: token), 200)
            let one = try await h.send(.get, "/api/v1/logs/\(fixture.failedLogId)", token: token)
            check("GET", "/api/v1/logs/{log_id}", one, 200)
            #expect(one.data["success"] as? Bool == false)
        }
    }

    @Test func retriesScheduleTheTaskAndHandItToDelivery() async throws {
        let tap = try await BrokerTap()
        defer { Task { await tap.stop() } }
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            let id = try await h.createWebhook()
            let fixture = try await Fixtures.delivery(webhookId: id)

            let retried = try await h.send(.post, "/api/v1/tasks/\(fixture.taskId)/retry", token: h.callers.adminA)
            #expect(retried.status == 202, "\(retried)")
            #expect(doc.problems("POST", "/api/v1/tasks/{task_id}/retry", retried).isEmpty)
            #expect(retried.data["status"] as? String == "retry")
            #expect(retried.data["next_try_at"] is String)
            let message = await tap.waitFor { $0["task_id"] as? Int == Int(fixture.taskId) }
            #expect(message?["_exchange"] as? String == "webhooks.tasks")
            #expect((message?["_message_id"] as? String)?.hasPrefix("task-\(fixture.taskId)-") == true)

            let byLog = try await h.send(.post, "/api/v1/logs/\(fixture.failedLogId)/retry", token: h.callers.adminA)
            #expect(byLog.status == 202, "\(byLog)")
            #expect(doc.problems("POST", "/api/v1/logs/{log_id}/retry", byLog).isEmpty)
            #expect(byLog.data["id"] as? Int == Int(fixture.taskId))
        }
    }

    @Test func recoverReenqueuesFailedTasksSinceATime() async throws {
        let tap = try await BrokerTap()
        defer { Task { await tap.stop() } }
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            let id = try await h.createWebhook()
            let old = try await Fixtures.delivery(webhookId: id, createdAt: Date().addingTimeInterval(-7200))
            let recent = try await Fixtures.delivery(webhookId: id)
            let succeeded = try await Fixtures.delivery(webhookId: id, taskStatus: "success")
            let since = Date().addingTimeInterval(-3600).formatted(.iso8601)
            let reply = try await h.send(
                .post, "/api/v1/tasks/recover", token: h.callers.adminA,
                body: #"{"since": "\#(since)", "webhook_id": \#(id)}"#)
            #expect(reply.status == 202, "\(reply)")
            #expect(doc.problems("POST", "/api/v1/tasks/recover", reply).isEmpty)
            #expect(reply.data["task_ids"] as? [Int] == [Int(recent.taskId)])
            #expect(await tap.waitFor { $0["task_id"] as? Int == Int(recent.taskId) } != nil)
            let oldTask = try await h.send(.get, "/api/v1/tasks/\(old.taskId)", token: h.callers.adminA)
            #expect(oldTask.data["status"] as? String == "failed")
            let done = try await h.send(.get, "/api/v1/tasks/\(succeeded.taskId)", token: h.callers.adminA)
            #expect(done.data["status"] as? String == "success")

            for (body, code) in [
                (#"{}"#, "E_MISSING_FIELD"), (#"{"since": "yesterday"}"#, "E_INVALID_VALUE"),
                (#"{"since": "\#(since)", "limit": 0}"#, "E_INVALID_VALUE"),
            ] {
                let bad = try await h.send(.post, "/api/v1/tasks/recover", token: h.callers.adminA, body: body)
                #expect(bad.status == 400 && bad.code == code, "\(body): \(bad)")
            }
            let missing = try await h.send(.post, "/api/v1/tasks/recover", token: h.callers.adminA, body: #"{"since": "\#(since)", "webhook_id": 987654321}"#)
            #expect(missing.status == 404 && missing.code == "E_NOT_FOUND")
        }
    }

    @Test func unknownTasksAndLogsAre404() async throws {
        try await Harness.run { h in
            for (method, path, code) in [
                ("GET", "/api/v1/tasks/987654321", "E_TASK_NOT_FOUND"), ("POST", "/api/v1/tasks/987654321/retry", "E_TASK_NOT_FOUND"),
                ("GET", "/api/v1/tasks/abc", "E_TASK_NOT_FOUND"), ("GET", "/api/v1/logs/987654321", "E_LOG_NOT_FOUND"),
                ("POST", "/api/v1/logs/987654321/retry", "E_LOG_NOT_FOUND"),
            ] {
                let reply = try await h.send(method == "GET" ? .get : .post, path, token: h.callers.adminA)
                #expect(reply.status == 404 && reply.code == code, "\(path): \(reply)")
                #expect(reply.object["message"] is String && reply.object["data"] is NSNull, "canonical error envelope: \(reply)")
            }
            for query in ["status=bogus", "page_size=0", "webhook_id=x", "since=never"] {
                let reply = try await h.send(.get, "/api/v1/logs?\(query)", token: h.callers.adminA)
                #expect(reply.status == 400, "\(query): \(reply)")
            }
            let badStatus = try await h.send(.get, "/api/v1/tasks?status=done", token: h.callers.adminA)
            #expect(badStatus.status == 400 && badStatus.code == "E_INVALID_QUERY", "\(badStatus)")
        }
    }
}
