import Foundation
import Testing
import WebhookCore

/// The FastAPI-style dialect (`/api/webhooks/` with trailing slash, `/api/webhooks/{id}...`: bare
/// JSON, `{"detail", "code"}` errors) over in-memory stores.
@Suite struct FastAPIStyleHandlerTests {
    func expectError(_ reply: Reply, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.code == code, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object["detail"] is String, "\(reply)", sourceLocation: sourceLocation)
        #expect(reply.object.keys.sorted() == ["code", "detail"], "\(reply)", sourceLocation: sourceLocation)
    }

    @Test func createReadUpdateToggleDelete() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/api/webhooks/", token: r.adminA,
                body: """
                    {"url": "https://example.com/atlas", "name": "测试 Webhook", "description": "这是测试", "events": ["service.started"]}
                    """)
            #expect(created.status == 201, "\(created)")
            #expect(created.object["code"] == nil, "bare object, no envelope")
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["signature_header"] as? String == "X-ATLAS-Signature")
            #expect(created.object["event_header"] as? String == "X-ATLAS-Event")
            #expect(created.object["secret"] is String)

            let detail = try await r.send(.get, "/api/webhooks/\(id)", token: r.viewerA)
            #expect(detail.status == 200)
            #expect(detail.object["enabled"] as? Bool == true)
            #expect(detail.object["events"] as? [String] == ["service.started"])
            #expect(detail.object.keys.contains("last_error"))
            #expect(detail.object["secret"] == nil)

            let updated = try await r.send(.put, "/api/webhooks/\(id)", token: r.adminA, body: #"{"name": "renamed", "events": ["service.*"]}"#)
            #expect(updated.status == 200, "\(updated)")
            #expect(updated.object["name"] as? String == "renamed")
            #expect(updated.object["events"] as? [String] == ["service.*"])
            #expect(updated.object["description"] as? String == "这是测试")
            let patched = try await r.send(.patch, "/api/webhooks/\(id)", token: r.adminA, body: #"{"max_attempts": 3}"#)
            #expect(patched.object["max_attempts"] as? Int == 3)

            let toggled = try await r.send(.post, "/api/webhooks/\(id)/toggle", token: r.adminA)
            #expect(toggled.status == 200)
            #expect(toggled.object["enabled"] as? Bool == false)
            #expect(try await r.send(.post, "/api/webhooks/\(id)/toggle", token: r.adminA).object["enabled"] as? Bool == true)

            let deleted = try await r.send(.delete, "/api/webhooks/\(id)", token: r.adminA)
            #expect(deleted.status == 204)
            expectError(try await r.send(.get, "/api/webhooks/\(id)", token: r.adminA), 404, "E_NOT_FOUND")
            expectError(try await r.send(.delete, "/api/webhooks/\(id)", token: r.adminA), 404, "E_NOT_FOUND")
        }
    }

    @Test func listIsAPlainArrayPagedBySkipAndLimit() async throws {
        try await Registry.run { r in
            var ids: [Int] = []
            for n in 0..<3 { ids.append(Int(try await r.createWebhook(url: "https://example.com/fa-\(n)"))) }
            try await r.createWebhook(token: r.adminB)
            let all = try await r.send(.get, "/api/webhooks/", token: r.adminA)
            #expect(all.status == 200, "\(all)")
            #expect(all.array.map { $0["id"] as? Int } == ids.reversed())
            #expect(all.array.allSatisfy { $0["secret"] == nil })
            let second = try await r.send(.get, "/api/webhooks/?skip=2&limit=2", token: r.adminA)
            #expect(second.array.map { $0["id"] as? Int } == [ids[0]])
            let disabled = try await r.send(.get, "/api/webhooks/?status=disabled", token: r.adminA)
            #expect(disabled.array.isEmpty)
            expectError(try await r.send(.get, "/api/webhooks/?skip=1&limit=2", token: r.adminA), 400, "E_INVALID_QUERY")
            expectError(try await r.send(.get, "/api/webhooks/?limit=501", token: r.adminA), 400, "E_INVALID_QUERY")
        }
    }

    @Test func logsRecentStatsAndTest() async throws {
        try await Registry.run { r in
            let created = try await r.send(.post, "/api/webhooks/", token: r.adminA, body: #"{"url": "https://127.0.0.1:9/fa", "events": ["*"]}"#)
            let id = Int64(try #require(created.object["id"] as? Int))
            let delivery = try await r.database.addDelivery(webhookId: id, eventType: "service.started")

            let logs = try await r.send(.get, "/api/webhooks/\(id)/logs?limit=1", token: r.adminA)
            #expect(logs.status == 200, "\(logs)")
            let items = try #require(logs.object["items"] as? [[String: Any]])
            #expect(items.map { $0["log_id"] as? Int } == [Int(delivery.succeededLogId)])
            #expect(logs.object["total"] as? Int == 2)
            #expect(logs.object["limit"] as? Int == 1)
            #expect(logs.object["hours"] is NSNull)
            let failures = try await r.send(.get, "/api/webhooks/\(id)/logs?success=false", token: r.adminA)
            #expect((failures.object["items"] as? [[String: Any]])?.map { $0["log_id"] as? Int } == [Int(delivery.failedLogId)])

            let recent = try await r.send(.get, "/api/webhooks/logs/recent?hours=1", token: r.viewerA)
            #expect(recent.status == 200, "\(recent)")
            #expect(recent.object["total"] as? Int == 2)
            #expect(recent.object["hours"] as? Int == 1)
            #expect(try await r.send(.get, "/api/webhooks/logs/recent", token: r.adminB).object["total"] as? Int == 0)
            expectError(try await r.send(.get, "/api/webhooks/logs/recent?hours=721", token: r.adminA), 400, "E_INVALID_QUERY")

            let stats = try await r.send(.get, "/api/webhooks/\(id)/stats", token: r.adminA)
            #expect(stats.status == 200, "\(stats)")
            #expect(stats.object["total_deliveries"] as? Int == 2)
            #expect(stats.object["successful_deliveries"] as? Int == 1)
            #expect(stats.object["avg_response_time_ms"] as? Double == 60)

            let tested = try await r.send(.post, "/api/webhooks/\(id)/test", token: r.adminA)
            #expect(tested.status == 200, "\(tested)")
            #expect(tested.object["success"] as? Bool == false)
            #expect(tested.object["event_type"] as? String == EventCatalogue.testEventType)
            #expect((tested.object["request_headers"] as? [String: String])?["X-ATLAS-Event"] == EventCatalogue.testEventType)
            #expect(try await r.send(.get, "/api/webhooks/\(id)/logs?test=true", token: r.adminA).object["total"] as? Int == 1)
        }
    }

    @Test func errorsInTheDialectEnvelope() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            expectError(try await r.send(.get, "/api/webhooks/"), 401, "E_UNAUTHORIZED")
            expectError(try await r.send(.get, "/api/webhooks/\(id)"), 401, "E_UNAUTHORIZED")
            expectError(
                try await r.send(.post, "/api/webhooks/", token: r.viewerA, body: #"{"url": "https://example.com/v", "events": ["*"]}"#),
                403, "E_FORBIDDEN")
            expectError(try await r.send(.put, "/api/webhooks/\(id)", token: r.adminA, body: "{nope"), 400, "E_INVALID_JSON")
            expectError(try await r.send(.put, "/api/webhooks/\(id)", token: r.adminA, body: #"{"max_attempts": 99}"#), 400, "E_INVALID_VALUE")
            expectError(try await r.send(.get, "/api/webhooks/\(id)", token: r.adminB), 404, "E_NOT_FOUND")
            expectError(try await r.send(.get, "/api/webhooks/x", token: r.adminA), 404, "E_NOT_FOUND")
            #expect(await r.database.webhook(id)?.maxAttempts == Webhook.defaultMaxAttempts)
        }
    }
}
