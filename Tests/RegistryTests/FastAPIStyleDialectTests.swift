import Foundation
import TestSupport
import Testing

/// The FastAPI-style dialect (`/api/webhooks/` with trailing slash and `/api/webhooks/{id}...`): bare JSON objects.
@Suite struct FastAPIStyleDialectTests {
    /// FastAPI-like errors: `detail` plus a stable `code`.
    func expectError(_ reply: Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.code == code, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["detail"] is String, "\(reply)", sourceLocation: sourceLocation)
    }

    @Test func quickTestAndTroubleshootingCommands() async throws {
        let receiver = try await TestReceiver()
        defer { Task { await receiver.stop() } }
        try await Harness.run { h in
            // 1. Login, read with `jq -r '.access_token'`.
            let login = try await h.send(.post, "/api/auth/login", body: #"{"username": "\#(h.adminUsername)", "password": "\#(h.adminPassword)"}"#)
            #expect(login.status == 200, "\(login)")
            let token = try #require(login.object["access_token"] as? String)

            // 2. Create (trailing slash), with its clients' fields.
            let url = receiver.url("/atlas-\(h.tenantA)")
            let created = try await h.send(
                .post, "/api/webhooks/", token: token,
                body: """
                    {"url": "\(url)", "name": "测试 Webhook", "description": "这是测试", "events": ["service.started", "user.created"],
                     "retry_enabled": true, "tenant_id": \(h.tenantA)}
                    """)
            #expect(created.status == 201, "\(created)")
            #expect(created.object["code"] == nil, "bare object, no envelope")
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["signature_header"] as? String == "X-ATLAS-Signature")
            #expect(created.object["event_header"] as? String == "X-ATLAS-Event")
            #expect(created.object["description"] as? String == "这是测试")
            let secret = try #require(created.object["secret"] as? String)

            // 3. List.
            let listed = try await h.send(.get, "/api/webhooks/", token: token)
            #expect(listed.status == 200, "\(listed)")
            #expect((listed.json as? [[String: Any]])?.contains { $0["id"] as? Int == id } == true)

            // Troubleshooting: `.enabled`, `.events`, `.last_error`.
            let detail = try await h.send(.get, "/api/webhooks/\(id)", token: token)
            #expect(detail.object["enabled"] as? Bool == true)
            #expect(detail.object["events"] as? [String] == ["service.started", "user.created"])
            #expect(detail.object.keys.contains("last_error"))

            // 4. Test: signed with X-ATLAS-* headers, verifiable as its clients' verify_webhook_signature does.
            let tested = try await h.send(.post, "/api/webhooks/\(id)/test", token: token)
            #expect(tested.status == 200, "\(tested)")
            #expect(tested.object["success"] as? Bool == true)
            let request = try #require(await receiver.waitForRequests(1).first)
            #expect(request.header("X-ATLAS-Event") == "WEBHOOK_TEST")
            let signature = try #require(request.header("X-ATLAS-Signature"))
            #expect(signature == hmacHex(secret: secret, body: request.body))

            let updated = try await h.send(.put, "/api/webhooks/\(id)", token: token, body: #"{"name": "renamed", "events": ["service.*"]}"#)
            #expect(updated.status == 200, "\(updated)")
            #expect(updated.object["name"] as? String == "renamed")
            #expect(updated.object["events"] as? [String] == ["service.*"])

            let toggled = try await h.send(.post, "/api/webhooks/\(id)/toggle", token: token)
            #expect(toggled.status == 200)
            #expect(toggled.object["enabled"] as? Bool == false)
            let back = try await h.send(.post, "/api/webhooks/\(id)/toggle", token: token)
            #expect(back.object["enabled"] as? Bool == true)

            // Logs: `.items[] | select(.success==false)`.
            _ = try await Fixtures.delivery(webhookId: Int64(id), eventType: "service.started")
            let logs = try await h.send(.get, "/api/webhooks/\(id)/logs?limit=50", token: token)
            #expect(logs.status == 200, "\(logs)")
            let items = try #require(logs.object["items"] as? [[String: Any]])
            #expect(items.filter { $0["success"] as? Bool == false }.count == 1)
            let recent = try await h.send(.get, "/api/webhooks/logs/recent?hours=24", token: token)
            #expect(recent.status == 200, "\(recent)")
            #expect((recent.object["total"] as? Int ?? 0) >= 2)

            let stats = try await h.send(.get, "/api/webhooks/\(id)/stats", token: token)
            #expect(stats.status == 200, "\(stats)")
            #expect(stats.object["total_deliveries"] as? Int == 2)
            #expect(stats.object["success_rate"] as? Double == 0.5)

            let deleted = try await h.send(.delete, "/api/webhooks/\(id)", token: token)
            #expect(deleted.status == 204)
            expectError(try await h.send(.get, "/api/webhooks/\(id)", token: token), 404, "E_NOT_FOUND")
        }
    }

    @Test func errorsOfEveryRoute() async throws {
        try await Harness.run { h in
            let token = h.callers.adminA
            let missing = "/api/webhooks/987654321"
            for (method, path) in [
                ("GET", missing), ("PUT", missing), ("DELETE", missing), ("POST", missing + "/toggle"),
                ("POST", missing + "/test"), ("GET", missing + "/logs"), ("GET", missing + "/stats"),
            ] {
                let reply = try await h.send(.init(rawValue: method)!, path, token: token, body: method == "PUT" ? #"{"name": "x"}"# : nil)
                expectError(reply, 404, "E_NOT_FOUND")
            }
            expectError(try await h.send(.get, "/api/webhooks/", token: "invalid"), 401, "E_UNAUTHORIZED")
            expectError(try await h.send(.post, "/api/webhooks/", token: token, body: #"{"url": "https://x.example/a"}"#), 400, "E_MISSING_FIELD")
            expectError(
                try await h.send(.post, "/api/webhooks/", token: token, body: #"{"url": "javascript:alert(1)", "events": ["a"]}"#), 400, "E_INVALID_URL")
            expectError(try await h.send(.get, "/api/webhooks/?limit=0", token: token), 400, "E_INVALID_QUERY")
            expectError(try await h.send(.get, "/api/webhooks/logs/recent?hours=100000", token: token), 400, "E_INVALID_QUERY")
            let id = try await h.createWebhook()
            expectError(try await h.send(.get, "/api/webhooks/\(id)/logs?limit=1000", token: token), 400, "E_INVALID_QUERY")
            expectError(try await h.send(.put, "/api/webhooks/\(id)", token: token, body: #"{"max_attempts": 0}"#), 400, "E_INVALID_VALUE")
            expectError(try await h.send(.post, "/api/webhooks/\(id)/toggle", token: h.callers.viewerA), 403, "E_FORBIDDEN")
        }
    }
}
