import Foundation
import Testing
import WebhookCore

/// The bkrepo dialect under `/webhook/api` (`{"code","message","data","traceId"}`, camelCase, string
/// ids) over in-memory stores.
@Suite struct BkRepoHandlerTests {
    /// bkrepo's error envelope; its `traceId` is the request's id.
    func expectError(_ reply: Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.code == code, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["message"] is String, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["data"] is NSNull, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["traceId"] as? String == reply.header("X-Request-Id"), "\(reply)", sourceLocation: sourceLocation)
    }

    @Test func createGetUpdateListDelete() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/webhook/api/webhook/create", token: r.adminA,
                body: """
                    {"url": "https://example.com/bk", "headers": {"key": "value"}, "triggers": ["NODE_CREATED"], "token": "tok",
                     "resourceKeyPattern": "(.*).apk", "association_type": "REPO", "association_id": "projectId:repoName"}
                    """)
            #expect(created.status == 200, "\(created)")
            #expect(created.object["code"] as? Int == 0)
            #expect(created.object["message"] is NSNull)
            #expect(created.object["traceId"] as? String == created.header("X-Request-Id"))
            let id = try #require(created.data["id"] as? String)
            #expect(created.data["token"] as? String == "tok")
            #expect(created.data["triggers"] as? [String] == ["NODE_CREATED"])
            #expect(created.data["associationType"] as? String == "REPO")
            #expect(created.data["headers"] as? [String: String] == ["key": "value"])
            #expect(created.data["createdBy"] as? String == "admin-a")

            let got = try await r.send(.get, "/webhook/api/webhook/\(id)", token: r.viewerA)
            #expect(got.status == 200, "\(got)")
            #expect(got.data["url"] as? String == "https://example.com/bk")
            #expect(got.data["token"] == nil, "viewers never see the token")

            let updated = try await r.send(
                .put, "/webhook/api/webhook/update", token: r.adminA,
                body: #"{"id": "\#(id)", "triggers": ["NODE_CREATED", "NODE_DELETED"]}"#)
            #expect(updated.status == 200, "\(updated)")
            #expect(updated.data["triggers"] as? [String] == ["NODE_CREATED", "NODE_DELETED"])
            #expect(updated.data["url"] as? String == "https://example.com/bk")
            let posted = try await r.send(.post, "/webhook/api/webhook/update", token: r.adminA, body: #"{"id": \#(id), "url": "https://example.com/bk2"}"#)
            #expect(posted.data["url"] as? String == "https://example.com/bk2", "\(posted)")

            _ = try await r.send(
                .post, "/webhook/api/webhook/create", token: r.adminA,
                body: #"{"url": "https://example.com/bk-project", "triggers": ["*"], "associationType": "PROJECT", "associationId": "p1"}"#)
            let repos = try await r.send(.get, "/webhook/api/webhook/list?associationId=projectId:repoName&associationType=REPO", token: r.adminA)
            #expect(repos.status == 200, "\(repos)")
            #expect(repos.dataArray.map { $0["id"] as? String } == [id])
            #expect(repos.dataArray.allSatisfy { $0["token"] == nil })
            let projects = try await r.send(.get, "/webhook/api/webhook/list?associationType=project", token: r.adminA)
            #expect(projects.dataArray.map { $0["url"] as? String } == ["https://example.com/bk-project"])
            #expect(try await r.send(.get, "/webhook/api/webhook/list", token: r.adminA).dataArray.count == 2)
            #expect(try await r.send(.get, "/webhook/api/webhook/list", token: r.adminB).dataArray.isEmpty)
            expectError(try await r.send(.get, "/webhook/api/webhook/list?associationType=TEAM", token: r.adminA), 400, "E_INVALID_QUERY")

            let deleted = try await r.send(.delete, "/webhook/api/webhook/delete/\(id)", token: r.adminA)
            #expect(deleted.status == 200, "\(deleted)")
            #expect(deleted.object["code"] as? Int == 0)
            #expect(deleted.object["data"] is NSNull)
            expectError(try await r.send(.get, "/webhook/api/webhook/\(id)", token: r.adminA), 404, "E_NOT_FOUND")
            expectError(try await r.send(.delete, "/webhook/api/webhook/delete/\(id)", token: r.adminA), 404, "E_NOT_FOUND")
            expectError(
                try await r.send(.put, "/webhook/api/webhook/update", token: r.adminA, body: #"{"id": "\#(id)", "url": "https://example.com/x"}"#),
                404, "E_NOT_FOUND")
        }
    }

    @Test func logsPagedNewestFirstAndRetry() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            let delivery = try await r.database.addDelivery(webhookId: id, eventType: "NODE_CREATED")

            let logs = try await r.send(.get, "/webhook/api/log/list/\(id)", token: r.viewerA)
            #expect(logs.status == 200, "\(logs)")
            #expect(logs.dataArray.map { $0["id"] as? String } == [String(delivery.succeededLogId), String(delivery.failedLogId)])
            #expect(logs.dataArray.map { $0["status"] as? String } == ["SUCCESS", "FAIL"])
            #expect(logs.dataArray.first?["triggeredEvent"] as? String == "NODE_CREATED")
            #expect(logs.dataArray.first?["webHookId"] as? String == String(id))
            let second = try await r.send(.get, "/webhook/api/log/list/\(id)?pageNumber=2&pageSize=1", token: r.adminA)
            #expect(second.dataArray.map { $0["id"] as? String } == [String(delivery.failedLogId)])
            expectError(try await r.send(.get, "/webhook/api/log/list/\(id)?pageSize=101", token: r.adminA), 400, "E_INVALID_QUERY")
            expectError(try await r.send(.get, "/webhook/api/log/list/\(id)", token: r.adminB), 404, "E_NOT_FOUND")

            let retried = try await r.send(.get, "/webhook/api/webhook/retry/\(delivery.failedLogId)", token: r.adminA)
            #expect(retried.status == 200, "\(retried)")
            #expect(retried.data["id"] as? String == String(delivery.failedLogId))
            #expect(await r.database.task(delivery.taskId)?.status == .retry)
            #expect(await r.broker.messages(on: WebhookTopology.tasksExchange).count == 1)
            expectError(try await r.send(.post, "/webhook/api/webhook/retry/987654321", token: r.adminA), 404, "E_LOG_NOT_FOUND")
            expectError(try await r.send(.get, "/webhook/api/webhook/retry/\(delivery.failedLogId)", token: r.viewerA), 403, "E_FORBIDDEN")
        }
    }

    @Test func testSendAnswersItsLog() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook(url: "https://127.0.0.1:9/bk")
            let tested = try await r.send(.post, "/webhook/api/webhook/test/\(id)", token: r.adminA)
            #expect(tested.status == 200, "\(tested)")
            #expect(tested.data["test"] as? Bool == true)
            #expect(tested.data["status"] as? String == "FAIL")
            #expect(tested.data["triggeredEvent"] as? String == EventCatalogue.testEventType)
            let logId = try #require(tested.data["id"] as? String)
            let logs = try await r.send(.get, "/webhook/api/log/list/\(id)", token: r.adminA)
            #expect(logs.dataArray.map { $0["id"] as? String } == [logId])
            let retry = try await r.send(.get, "/webhook/api/webhook/retry/\(logId)", token: r.adminA)
            #expect(retry.status == 409)
            #expect(retry.code == "E_LOG_NOT_RETRYABLE")
        }
    }

    @Test func errorsInTheDialectEnvelope() async throws {
        try await Registry.run { r in
            let create = "/webhook/api/webhook/create"
            expectError(try await r.send(.post, create, body: #"{"url": "https://example.com/a", "triggers": ["*"]}"#), 401, "E_UNAUTHORIZED")
            expectError(
                try await r.send(.post, create, token: r.viewerA, body: #"{"url": "https://example.com/a", "triggers": ["*"]}"#),
                403, "E_FORBIDDEN")
            expectError(try await r.send(.post, create, token: r.adminA, body: "not json"), 400, "E_INVALID_JSON")
            expectError(try await r.send(.post, create, token: r.adminA, body: #"{"url": "https://example.com/a"}"#), 400, "E_MISSING_FIELD")
            expectError(
                try await r.send(.post, create, token: r.adminA, body: #"{"url": "https://example.com/a", "triggers": ["*"], "association_type": "TEAM"}"#),
                400, "E_INVALID_VALUE")
            expectError(
                try await r.send(.put, "/webhook/api/webhook/update", token: r.adminA, body: #"{"url": "https://example.com/a"}"#),
                400, "E_MISSING_FIELD")
            expectError(try await r.send(.get, "/webhook/api/webhook/abc", token: r.adminA), 404, "E_NOT_FOUND")
            expectError(try await r.send(.get, "/webhook/api/nothing-here", token: r.adminA), 404, "E_NOT_FOUND")
        }
    }
}
