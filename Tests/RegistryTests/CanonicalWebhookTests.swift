import Foundation
import TestSupport
import Testing

/// The canonical API under `/api/v1/webhooks`, every response checked against `/openapi.json`.
@Suite struct CanonicalWebhookTests {
    @Test func lifecycleMatchesTheOpenAPIDocument() async throws {
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            func check(_ method: String, _ template: String, _ reply: Reply, _ status: Int) {
                #expect(reply.status == status, "\(method) \(template): \(reply)")
                let problems = doc.problems(method, template, reply)
                #expect(problems.isEmpty, "\(problems)")
            }
            let tap = try await BrokerTap()
            defer { Task { await tap.stop() } }
            let token = h.callers.adminA
            // The canonical create example, as written.
            let created = try await h.send(
                .post, "/api/v1/webhooks", token: token,
                body: """
                    {"name": "环境事件通知", "url": "https://your-server.com/webhook-\(h.tenantA)", "secret": "your-secret-key",
                     "events": ["environment.created", "environment.started", "environment.stopped"], "enabled": true}
                    """)
            check("POST", "/api/v1/webhooks", created, 201)
            #expect(created.object["code"] as? Int == 0)
            #expect(created.data["name"] as? String == "环境事件通知")
            #expect(created.data["enabled"] as? Bool == true)
            #expect(created.data["secret"] as? String == "your-secret-key")
            #expect(created.data["tenant_id"] as? Int == Int(h.tenantA))
            let id = created.data["webhook_id"] as! Int
            let notice = await tap.waitFor { $0["webhook_id"] as? Int == id && $0["change"] as? String == "created" }
            #expect(notice?["tenant_id"] as? Int == Int(h.tenantA))
            #expect(notice?["_exchange"] as? String == "webhooks.control")

            let listed = try await h.send(.get, "/api/v1/webhooks?page=1&page_size=10", token: token)
            check("GET", "/api/v1/webhooks", listed, 200)
            let items = (listed.data["items"] as? [[String: Any]]) ?? []
            #expect(items.contains { $0["webhook_id"] as? Int == id })
            #expect(items.allSatisfy { $0["secret"] == nil }, "secrets are never listed")
            #expect((listed.data["pagination"] as? [String: Any])?["page_size"] as? Int == 10)

            let filtered = try await h.send(.get, "/api/v1/webhooks?event_type=environment.started&status=active", token: token)
            check("GET", "/api/v1/webhooks", filtered, 200)
            #expect(((filtered.data["items"] as? [[String: Any]]) ?? []).contains { $0["webhook_id"] as? Int == id })
            let none = try await h.send(.get, "/api/v1/webhooks?event_type=job.failed", token: token)
            #expect(!((none.data["items"] as? [[String: Any]]) ?? []).contains { $0["webhook_id"] as? Int == id })

            let detail = try await h.send(.get, "/api/v1/webhooks/\(id)", token: token)
            check("GET", "/api/v1/webhooks/{webhook_id}", detail, 200)
            #expect(detail.data["secret"] as? String == "your-secret-key")
            let viewed = try await h.send(.get, "/api/v1/webhooks/\(id)", token: h.callers.viewerA)
            check("GET", "/api/v1/webhooks/{webhook_id}", viewed, 200)
            #expect(viewed.data["secret"] == nil, "viewers never see the secret")

            // The canonical update example: only the fields sent change.
            let updated = try await h.send(.put, "/api/v1/webhooks/\(id)", token: token, body: #"{"name": "环境事件通知（更新）", "enabled": false}"#)
            check("PUT", "/api/v1/webhooks/{webhook_id}", updated, 200)
            #expect(updated.data["name"] as? String == "环境事件通知（更新）")
            #expect(updated.data["enabled"] as? Bool == false)
            #expect((updated.data["events"] as? [String])?.count == 3)
            #expect(await tap.waitFor { $0["webhook_id"] as? Int == id && $0["change"] as? String == "updated" } != nil)

            let patched = try await h.send(
                .patch, "/api/v1/webhooks/\(id)", token: token,
                body: #"{"resourceKeyPattern": "(.*)\\.apk", "association_type": "REPO", "association_id": "p1:repo"}"#)
            check("PATCH", "/api/v1/webhooks/{webhook_id}", patched, 200)
            #expect(patched.data["resource_key_pattern"] as? String == "(.*)\\.apk")
            #expect(patched.data["association_type"] as? String == "REPO")

            check("POST", "/api/v1/webhooks/{webhook_id}/enable", try await h.send(.post, "/api/v1/webhooks/\(id)/enable", token: token), 200)
            let disabled = try await h.send(.post, "/api/v1/webhooks/\(id)/disable", token: token)
            check("POST", "/api/v1/webhooks/{webhook_id}/disable", disabled, 200)
            #expect(disabled.data["status"] as? String == "disabled")

            let rotated = try await h.send(.post, "/api/v1/webhooks/\(id)/rotate-secret", token: token, body: #"{"grace_period_seconds": 3600}"#)
            check("POST", "/api/v1/webhooks/{webhook_id}/rotate-secret", rotated, 200)
            #expect((rotated.data["secret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(rotated.data["previous_secret_expires_at"] is String)

            let deleted = try await h.send(.delete, "/api/v1/webhooks/\(id)", token: token)
            check("DELETE", "/api/v1/webhooks/{webhook_id}", deleted, 204)
            #expect(await tap.waitFor { $0["webhook_id"] as? Int == id && $0["change"] as? String == "deleted" } != nil)
            let gone = try await h.send(.get, "/api/v1/webhooks/\(id)", token: token)
            check("GET", "/api/v1/webhooks/{webhook_id}", gone, 404)
            #expect(gone.code == "E_NOT_FOUND")
        }
    }

    @Test func testEndpointSendsASignedWebhookTestEvent() async throws {
        let receiver = try await TestReceiver { n, _ in ReceiverReply(status: n == 1 ? 200 : 503) }
        defer { Task { await receiver.stop() } }
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            let id = try await h.createWebhook(url: receiver.url("/t-\(h.tenantA)"), extra: #""secret": "s3cret""#)
            let ok = try await h.send(.post, "/api/v1/webhooks/\(id)/test", token: h.callers.adminA)
            #expect(ok.status == 200, "\(ok)")
            #expect(doc.problems("POST", "/api/v1/webhooks/{webhook_id}/test", ok).isEmpty, "\(doc.problems("POST", "/api/v1/webhooks/{webhook_id}/test", ok))")
            #expect(ok.data["status_code"] as? Int == 200)
            #expect(ok.data["success"] as? Bool == true)
            #expect(ok.data["response_time"] is Int)
            let got = await receiver.waitForRequests(1)
            let request = try #require(got.first)
            #expect(request.header("X-Webhook-Event") == "WEBHOOK_TEST")
            #expect(request.header("webhook-signature")?.hasPrefix("v1,") == true)
            #expect(request.header("X-Webhook-Signature")?.count == 64)
            #expect(request.bodyText.contains("\"event\": \"WEBHOOK_TEST\""))

            let failed = try await h.send(.post, "/api/v1/webhooks/\(id)/test", token: h.callers.adminA)
            #expect(failed.status == 200)
            #expect(failed.data["status_code"] as? Int == 503)
            #expect(failed.data["success"] as? Bool == false)
            #expect(failed.data["error"] as? String == "HTTP 503")
        }
    }

    @Test func testEndpointReportsUnreachableAndRefusedAddresses() async throws {
        try await Harness.run(extraNetworksAllowed: false) { h in
            let id = try await h.createWebhook(url: "http://127.0.0.1:9/refused-\(h.tenantA)")
            let refused = try await h.send(.post, "/api/v1/webhooks/\(id)/test", token: h.callers.adminA)
            #expect(refused.status == 200, "\(refused)")
            #expect(refused.data["success"] as? Bool == false)
            #expect((refused.data["error"] as? String)?.contains("address_refused") == true, "\(refused)")
            #expect(refused.data["status_code"] is NSNull)
        }
    }

    @Test func eventTypeCatalogueNamesEveryDocumentedType() async throws {
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            let reply = try await h.send(.get, "/api/v1/event-types", token: h.callers.viewerA)
            #expect(reply.status == 200)
            #expect(doc.problems("GET", "/api/v1/event-types", reply).isEmpty)
            let types = Set(((reply.data["items"] as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String })
            for type in [
                "environment.created", "training.failed", "alert.resolved", "job.completed", "quota.exceeded",
                "service.started", "user.quota_exceeded", "domain.cert_expiring", "backup.restored",
                "system.resource_alert", "NODE_CREATED", "NODE_UPLOADED", "WEBHOOK_TEST",
            ] {
                #expect(types.contains(type), "\(type) missing")
            }
        }
    }

    @Test func docsAreServedWithoutAToken() async throws {
        try await Harness.run { h in
            let doc = try await h.send(.get, "/openapi.json")
            #expect(doc.status == 200)
            let paths = (doc.object["paths"] as? [String: Any]) ?? [:]
            for path in [
                "/api/v1/webhooks", "/api/v1/webhooks/{webhook_id}", "/api/v1/webhooks/{webhook_id}/test",
                "/api/v1/webhooks/{webhook_id}/logs", "/api/v1/tasks/recover", "/api/v1/event-types",
            ] {
                #expect(paths[path] != nil, "\(path) is not documented")
            }
            let page = try await h.send(.get, "/docs")
            #expect(page.status == 200)
            #expect(page.text.contains("/openapi.json"))
        }
    }
}
