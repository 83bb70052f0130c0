import Foundation
import TestSupport
import Testing

/// The bkrepo dialect under `/webhook/api` (`{"code","message","data","traceId"}`, camelCase, string ids).
@Suite struct BkRepoDialectTests {
    func expectError(_ reply: Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.code == code, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["traceId"] is String, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object.keys.contains("data"), "\(reply)", sourceLocation: sourceLocation)
    }

    @Test func everyRouteAsItsClientsCallIt() async throws {
        let receiver = try await TestReceiver()
        defer { Task { await receiver.stop() } }
        try await Harness.run { h in
            let token = h.callers.adminA
            let url = receiver.url("/bkrepo-\(h.tenantA)")
            let created = try await h.send(
                .post, "/webhook/api/webhook/create", token: token,
                body: """
                    {"url": "\(url)", "headers": {"key": "value"}, "triggers": ["NODE_CREATED"], "resourceKeyPattern": "(.*).apk",
                     "association_type": "REPO", "association_id": "projectId:repoName"}
                    """)
            #expect(created.status == 200, "\(created)")
            #expect(created.object["code"] as? Int == 0)
            #expect(created.object.keys.contains("message") && created.object["traceId"] is String)
            let id = try #require(created.data["id"] as? String)
            #expect(created.data["triggers"] as? [String] == ["NODE_CREATED"])
            #expect(created.data["associationType"] as? String == "REPO")
            #expect(created.data["associationId"] as? String == "projectId:repoName")
            #expect(created.data["resourceKeyPattern"] as? String == "(.*).apk")

            let got = try await h.send(.get, "/webhook/api/webhook/\(id)", token: token)
            #expect(got.status == 200, "\(got)")
            for key in ["id", "url", "token", "triggers", "associationType", "associationId", "createdBy", "createdDate", "lastModifiedBy", "lastModifiedDate"]
            {
                #expect(got.data[key] != nil, "\(key) missing: \(got)")
            }
            #expect(got.data["createdBy"] as? String == "admin-a")

            let updated = try await h.send(
                .put, "/webhook/api/webhook/update", token: token,
                body: #"{"id": "\#(id)", "url": "\#(url)-v2", "token": "new-token", "triggers": ["NODE_CREATED", "NODE_UPLOADED"]}"#)
            #expect(updated.status == 200, "\(updated)")
            #expect(updated.data["token"] as? String == "new-token")
            #expect(updated.data["triggers"] as? [String] == ["NODE_CREATED", "NODE_UPLOADED"])
            #expect(updated.data["lastModifiedBy"] as? String == "admin-a")

            let listed = try await h.send(.get, "/webhook/api/webhook/list?associationId=projectId:repoName&associationType=REPO", token: token)
            #expect(listed.status == 200, "\(listed)")
            let items = try #require(listed.object["data"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [id])
            #expect(items.first?["token"] == nil, "secrets are never listed")
            let other = try await h.send(.get, "/webhook/api/webhook/list?associationType=PROJECT", token: token)
            #expect(((other.object["data"] as? [[String: Any]]) ?? []).isEmpty)

            let tested = try await h.send(.get, "/webhook/api/webhook/test/\(id)", token: token)
            #expect(tested.status == 200, "\(tested)")
            #expect(tested.data["status"] as? String == "SUCCESS", "\(tested)")
            #expect(tested.data["triggeredEvent"] as? String == "WEBHOOK_TEST")
            #expect(tested.data["webHookUrl"] as? String == url + "-v2")
            #expect(tested.data["requestDuration"] is Int)
            #expect((tested.data["requestHeaders"] as? [String: Any])?["key"] as? String == "value")
            #expect(await receiver.waitForRequests(1).first?.header("key") == "value")

            let fixture = try await Fixtures.delivery(webhookId: Int64(id)!, eventType: "NODE_CREATED")
            let logs = try await h.send(.get, "/webhook/api/log/list/\(id)", token: token)
            #expect(logs.status == 200, "\(logs)")
            let log = try #require((logs.object["data"] as? [[String: Any]])?.first)
            for key in [
                "webhookUrl", "triggeredEvent", "requestHeaders", "requestPayload", "status", "responseHeaders",
                "responseBody", "requestDuration", "requestTime", "errorMsg",
            ] {
                #expect(log.keys.contains(key), "\(key) missing")
            }
            #expect(log["status"] as? String == "SUCCESS")

            let retried = try await h.send(.get, "/webhook/api/webhook/retry/\(fixture.failedLogId)", token: token)
            #expect(retried.status == 200, "\(retried)")
            #expect(retried.data["status"] as? String == "FAIL")
            #expect(retried.data["triggeredEvent"] as? String == "NODE_CREATED")
            let task = try await h.send(.get, "/api/v1/tasks/\(fixture.taskId)", token: token)
            #expect(task.data["status"] as? String == "retry")

            let deleted = try await h.send(.delete, "/webhook/api/webhook/delete/\(id)", token: token)
            #expect(deleted.status == 200, "\(deleted)")
            #expect(deleted.object["code"] as? Int == 0 && deleted.object["data"] is NSNull)

            expectError(try await h.send(.get, "/webhook/api/webhook/\(id)", token: token), 404, "E_NOT_FOUND")
            expectError(try await h.send(.delete, "/webhook/api/webhook/delete/\(id)", token: token), 404, "E_NOT_FOUND")
            expectError(try await h.send(.get, "/webhook/api/webhook/test/\(id)", token: token), 404, "E_NOT_FOUND")
            expectError(try await h.send(.get, "/webhook/api/log/list/\(id)", token: token), 404, "E_NOT_FOUND")
            expectError(try await h.send(.get, "/webhook/api/webhook/retry/987654321", token: token), 404, "E_LOG_NOT_FOUND")
            expectError(
                try await h.send(.put, "/webhook/api/webhook/update", token: token, body: #"{"id": "\#(id)", "url": "https://x.example"}"#), 404, "E_NOT_FOUND")
        }
    }

    @Test func badInputInTheDialectsEnvelope() async throws {
        try await Harness.run { h in
            let token = h.callers.adminA
            let create = "/webhook/api/webhook/create"
            expectError(try await h.send(.post, create, token: token, body: #"{"url": "https://x.example/a"}"#), 400, "E_MISSING_FIELD")
            expectError(
                try await h.send(
                    .post, create, token: token, body: #"{"url": "https://x.example/a", "triggers": ["NODE_CREATED"], "association_type": "TEAM"}"#),
                400, "E_INVALID_VALUE")
            expectError(
                try await h.send(
                    .post, create, token: token,
                    body: #"{"url": "https://x.example/a", "triggers": ["NODE_CREATED"], "association_type": "REPO", "association_id": "no-colon"}"#),
                400, "E_INVALID_VALUE")
            let pattern = try await h.send(
                .post, create, token: token, body: #"{"url": "https://x.example/a", "triggers": ["NODE_CREATED"], "resourceKeyPattern": "(a"}"#)
            expectError(pattern, 422, "E_INVALID_PATTERN")
            #expect((pattern.object["message"] as? String)?.contains("position 1") == true, "\(pattern)")
            expectError(try await h.send(.put, "/webhook/api/webhook/update", token: token, body: #"{"url": "https://x.example"}"#), 400, "E_MISSING_FIELD")
            expectError(try await h.send(.put, "/webhook/api/webhook/update", token: token, body: #"{"id": "abc"}"#), 400, "E_WRONG_TYPE")
            expectError(try await h.send(.get, "/webhook/api/webhook/list?associationType=TEAM", token: token), 400, "E_INVALID_QUERY")
            expectError(try await h.send(.get, "/webhook/api/webhook/list"), 401, "E_UNAUTHORIZED")
            expectError(try await h.send(.post, create, token: h.callers.viewerA, body: "{}"), 403, "E_FORBIDDEN")
        }
    }
}
