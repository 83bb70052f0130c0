import Foundation
import Testing
import WebhookCore

/// The canonical webhook API (`/api/v1/webhooks`) over in-memory stores.
@Suite struct CanonicalWebhookHandlerTests {
    @Test func createReadUpdateDelete() async throws {
        try await Registry.run { r in
            let created = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminA,
                body: """
                    {"name": "env events", "url": "https://example.com/a", "secret": "s3cret", "events": ["environment.created"]}
                    """)
            #expect(created.status == 201, "\(created)")
            #expect(created.object["code"] as? Int == 0)
            #expect(created.object["message"] as? String == "Webhook created")
            #expect(created.data["secret"] as? String == "s3cret")
            #expect(created.data["tenant_id"] as? Int == Int(Registry.tenantA))
            #expect(created.data["enabled"] as? Bool == true)
            #expect(created.data["created_by"] as? String == "admin-a")
            let id = try #require(created.data["webhook_id"] as? Int)
            #expect(created.data["id"] as? Int == id)

            let detail = try await r.send(.get, "/api/v1/webhooks/\(id)", token: r.adminA)
            #expect(detail.status == 200)
            #expect(detail.data["url"] as? String == "https://example.com/a")
            #expect(detail.data["secret"] as? String == "s3cret")
            let viewed = try await r.send(.get, "/api/v1/webhooks/\(id)", token: r.viewerA)
            #expect(viewed.status == 200)
            #expect(viewed.data["secret"] == nil, "viewers never see the secret")

            // Only the fields sent change.
            let updated = try await r.send(.put, "/api/v1/webhooks/\(id)", token: r.adminA, body: #"{"name": "renamed", "enabled": false}"#)
            #expect(updated.status == 200, "\(updated)")
            #expect(updated.object["message"] as? String == "Webhook updated")
            #expect(updated.data["name"] as? String == "renamed")
            #expect(updated.data["status"] as? String == "disabled")
            #expect(updated.data["events"] as? [String] == ["environment.created"])
            #expect(updated.data["url"] as? String == "https://example.com/a")

            let patched = try await r.send(
                .patch, "/api/v1/webhooks/\(id)", token: r.adminA,
                body: #"{"association_type": "REPO", "association_id": "p1:repo"}"#)
            #expect(patched.status == 200, "\(patched)")
            #expect(patched.data["association_type"] as? String == "REPO")
            #expect(patched.data["name"] as? String == "renamed")

            let enabled = try await r.send(.post, "/api/v1/webhooks/\(id)/enable", token: r.adminA)
            #expect(enabled.status == 200)
            #expect(enabled.object["message"] as? String == "Webhook enabled")
            #expect(enabled.data["enabled"] as? Bool == true)
            #expect(enabled.data["secret"] == nil)
            // Enabled again: announced as a `webhook.enabled` event of the webhook's tenant (disabling was not).
            let announced = await r.broker.messages(on: WebhookTopology.eventsExchange)
            #expect(announced.map(\.routingKey) == [OperationalEvents.webhookEnabled])
            let event = try EventMessage.decode(try #require(announced.first).message.body)
            #expect(event.type == OperationalEvents.webhookEnabled && event.tenantId == Registry.tenantA)
            #expect(
                event.data
                    == .object([
                        ("webhook_id", .integer("\(id)")), ("name", .string("renamed")), ("url", .string("https://example.com/a")),
                        ("enabled_by", .string("admin-a")),
                    ]))

            let rotated = try await r.send(.post, "/api/v1/webhooks/\(id)/rotate-secret", token: r.adminA, body: #"{"grace_period_seconds": 60}"#)
            #expect(rotated.status == 200, "\(rotated)")
            #expect((rotated.data["secret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(rotated.data["previous_secret_expires_at"] is String)
            #expect(await r.database.webhook(Int64(id))?.previousSecret == "s3cret")

            let deleted = try await r.send(.delete, "/api/v1/webhooks/\(id)", token: r.adminA)
            #expect(deleted.status == 204)
            #expect(deleted.text.isEmpty)
            let gone = try await r.send(.get, "/api/v1/webhooks/\(id)", token: r.adminA)
            #expect(gone.status == 404)
            #expect(gone.code == "E_NOT_FOUND")
            #expect(await r.database.webhook(Int64(id)) == nil)

            // Every change told delivery, in order.
            let notices = await r.notices()
            #expect(notices.map { $0["change"] as? String } == ["created", "updated", "updated", "updated", "updated", "deleted"])
            #expect(notices.allSatisfy { $0["webhook_id"] as? Int == id && $0["tenant_id"] as? Int == Int(Registry.tenantA) })
        }
    }

    @Test func listsNewestFirstInPages() async throws {
        try await Registry.run { r in
            var ids: [Int64] = []
            for n in 0..<5 { ids.append(try await r.createWebhook(url: "https://example.com/page-\(n)")) }
            try await r.createWebhook(token: r.adminB, url: "https://example.com/other-tenant")

            let first = try await r.send(.get, "/api/v1/webhooks?page=1&page_size=2", token: r.adminA)
            #expect(first.status == 200)
            #expect(first.items.map { $0["webhook_id"] as? Int } == [Int(ids[4]), Int(ids[3])])
            #expect(first.items.allSatisfy { $0["secret"] == nil }, "secrets are never listed")
            let pagination = first.data["pagination"] as? [String: Any]
            #expect(pagination?["total"] as? Int == 5)
            #expect(pagination?["total_pages"] as? Int == 3)
            #expect(pagination?["page_size"] as? Int == 2)

            let last = try await r.send(.get, "/api/v1/webhooks?page=3&page_size=2", token: r.adminA)
            #expect(last.items.map { $0["webhook_id"] as? Int } == [Int(ids[0])])
            let beyond = try await r.send(.get, "/api/v1/webhooks?page=4&page_size=2", token: r.adminA)
            #expect(beyond.status == 200)
            #expect(beyond.items.isEmpty)

            // The operator sees every tenant, and may narrow to one.
            let all = try await r.send(.get, "/api/v1/webhooks", token: r.root)
            #expect((all.data["pagination"] as? [String: Any])?["total"] as? Int == 6)
            let onlyB = try await r.send(.get, "/api/v1/webhooks?tenant_id=\(Registry.tenantB)", token: r.root)
            #expect(onlyB.items.map { $0["url"] as? String } == ["https://example.com/other-tenant"])

            for query in ["page_size=0", "page_size=101", "page=0", "page=x"] {
                let bad = try await r.send(.get, "/api/v1/webhooks?\(query)", token: r.adminA)
                #expect(bad.status == 400, "\(query)")
                #expect(bad.code == "E_INVALID_PAGINATION", "\(query)")
            }
        }
    }

    @Test func filtersByEventTypeStatusAndAssociation() async throws {
        try await Registry.run { r in
            let jobs = try await r.createWebhook(events: ["job.*"])
            let all = try await r.createWebhook(events: ["*"], extra: #""association_type": "PROJECT", "association_id": "p1""#)
            let other = try await r.createWebhook(events: ["environment.created"], extra: #""enabled": false"#)
            func ids(_ query: String) async throws -> Set<Int> {
                let reply = try await r.send(.get, "/api/v1/webhooks?\(query)", token: r.adminA)
                #expect(reply.status == 200, "\(query): \(reply)")
                return Set(reply.items.compactMap { $0["webhook_id"] as? Int })
            }
            #expect(try await ids("event_type=job.failed") == [Int(jobs), Int(all)])
            #expect(try await ids("event_type=environment.created") == [Int(all), Int(other)])
            #expect(try await ids("status=disabled") == [Int(other)])
            #expect(try await ids("association_type=PROJECT&association_id=p1") == [Int(all)])
            let bad = try await r.send(.get, "/api/v1/webhooks?status=sleeping", token: r.adminA)
            #expect(bad.status == 400)
            #expect(bad.code == "E_INVALID_QUERY")
        }
    }

    @Test func tenantsNeverSeeEachOther() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            for (method, path) in [("GET", "/api/v1/webhooks/\(id)"), ("DELETE", "/api/v1/webhooks/\(id)"), ("POST", "/api/v1/webhooks/\(id)/disable")] {
                let reply = try await r.send(.init(method)!, path, token: r.adminB)
                #expect(reply.status == 404, "\(method) \(path): \(reply)")
                #expect(reply.code == "E_NOT_FOUND")
            }
            let listed = try await r.send(.get, "/api/v1/webhooks", token: r.adminB)
            #expect(listed.items.isEmpty)
            let asked = try await r.send(.get, "/api/v1/webhooks?tenant_id=\(Registry.tenantA)", token: r.adminB)
            #expect(asked.status == 403)
            #expect(asked.code == "E_FORBIDDEN")
            let moved = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminB,
                body: #"{"url": "https://example.com/x", "events": ["*"], "tenant_id": \#(Registry.tenantA)}"#)
            #expect(moved.status == 403)
            #expect(await r.database.webhook(id) != nil)
        }
    }

    @Test func errorsInTheCanonicalEnvelope() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook(url: "https://example.com/taken")

            let anonymous = try await r.send(.get, "/api/v1/webhooks")
            #expect(anonymous.status == 401)
            #expect(anonymous.code == "E_UNAUTHORIZED")
            #expect(anonymous.header("WWW-Authenticate") == "Bearer")
            #expect(anonymous.object.keys.sorted() == ["code", "data", "message"])
            #expect(anonymous.object["data"] is NSNull)
            let forged = try await r.send(.get, "/api/v1/webhooks", token: "not-a-jwt")
            #expect(forged.status == 401)

            let viewer = try await r.send(.post, "/api/v1/webhooks", token: r.viewerA, body: #"{"url": "https://example.com/v", "events": ["*"]}"#)
            #expect(viewer.status == 403)
            #expect(viewer.code == "E_FORBIDDEN")
            let publisher = try await r.send(.get, "/api/v1/webhooks", token: r.publisherA)
            #expect(publisher.status == 403)

            let badJSON = try await r.send(.post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": "#)
            #expect(badJSON.status == 400)
            #expect(badJSON.code == "E_INVALID_JSON")
            let noURL = try await r.send(.post, "/api/v1/webhooks", token: r.adminA, body: #"{"events": ["*"]}"#)
            #expect(noURL.status == 400)
            #expect(noURL.code == "E_MISSING_FIELD")
            let noEvents = try await r.send(.post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": "https://example.com/e"}"#)
            #expect(noEvents.code == "E_MISSING_FIELD")
            let wrongType = try await r.send(.post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": 5, "events": ["*"]}"#)
            #expect(wrongType.status == 400)
            #expect(wrongType.code == "E_WRONG_TYPE")
            let badPattern = try await r.send(
                .post, "/api/v1/webhooks", token: r.adminA,
                body: #"{"url": "https://example.com/p", "events": ["*"], "resource_key_pattern": "(unclosed"}"#)
            #expect(badPattern.status == 422)
            #expect(badPattern.code == "E_INVALID_PATTERN")

            let duplicate = try await r.send(.post, "/api/v1/webhooks", token: r.adminA, body: #"{"url": "https://example.com/taken", "events": ["*"]}"#)
            #expect(duplicate.status == 409)
            #expect(duplicate.code == "E_ENDPOINT_EXISTS")
            #expect(!duplicate.text.contains("webhooks_tenant_url_unique"), "constraint names stay in the log")
            // Another tenant may use the same URL.
            let elsewhere = try await r.send(.post, "/api/v1/webhooks", token: r.adminB, body: #"{"url": "https://example.com/taken", "events": ["*"]}"#)
            #expect(elsewhere.status == 201)
            let other = try await r.createWebhook(url: "https://example.com/second")
            let clash = try await r.send(.put, "/api/v1/webhooks/\(other)", token: r.adminA, body: #"{"url": "https://example.com/taken"}"#)
            #expect(clash.status == 409)
            #expect(clash.code == "E_ENDPOINT_EXISTS")

            for path in ["/api/v1/webhooks/999999", "/api/v1/webhooks/abc", "/api/v1/webhooks/0", "/api/v1/no-such-route"] {
                let missing = try await r.send(.get, path, token: r.adminA)
                #expect(missing.status == 404, "\(path)")
                #expect(missing.code == "E_NOT_FOUND", "\(path)")
            }
            #expect(await r.database.webhook(id)?.url == "https://example.com/taken")
        }
    }

    @Test func databaseOutageIs503WithoutItsWords() async throws {
        try await Registry.run { r in
            let id = try await r.createWebhook()
            await r.database.setFailure(.unavailable("connection refused to 10.1.2.3:5432"))
            let down = try await r.send(.get, "/api/v1/webhooks/\(id)", token: r.adminA)
            #expect(down.status == 503)
            #expect(down.code == "E_DB_UNAVAILABLE")
            #expect(down.header("Retry-After") == "5")
            #expect(!down.text.contains("10.1.2.3"))

            await r.database.setFailure(.failed("42P01 relation \"webhooks\" does not exist"))
            let broken = try await r.send(.get, "/api/v1/webhooks", token: r.adminA)
            #expect(broken.status == 500)
            #expect(broken.code == "E_INTERNAL")
            #expect(!broken.text.contains("relation"))
            #expect(broken.object["request_id"] as? String == broken.header("X-Request-Id"))

            await r.database.setFailure(nil)
            #expect(try await r.send(.get, "/api/v1/webhooks/\(id)", token: r.adminA).status == 200)
        }
    }
}
