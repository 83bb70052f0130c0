import Foundation
import TestSupport
import Testing

/// Tenant isolation on every read and write route, and the role rules.
@Suite struct AccessTests {
    /// Every route that names one of tenant A's objects, with a body where it needs one.
    static func routes(webhook w: Int64, task t: Int64, log l: Int64) -> [(method: String, path: String, body: String?)] {
        [
            ("GET", "/api/v1/webhooks/\(w)", nil), ("PUT", "/api/v1/webhooks/\(w)", #"{"name": "x"}"#),
            ("PATCH", "/api/v1/webhooks/\(w)", #"{"name": "x"}"#), ("POST", "/api/v1/webhooks/\(w)/enable", nil),
            ("POST", "/api/v1/webhooks/\(w)/disable", nil), ("POST", "/api/v1/webhooks/\(w)/rotate-secret", nil),
            ("POST", "/api/v1/webhooks/\(w)/test", nil), ("GET", "/api/v1/webhooks/\(w)/logs", nil),
            ("GET", "/api/v1/webhooks/\(w)/stats", nil), ("GET", "/api/v1/webhooks/\(w)/tasks", nil),
            ("GET", "/api/v1/tasks/\(t)", nil), ("POST", "/api/v1/tasks/\(t)/retry", nil),
            ("GET", "/api/v1/logs/\(l)", nil), ("POST", "/api/v1/logs/\(l)/retry", nil),
            ("POST", "/api/webhooks/delete", #"{"id": \#(w)}"#), ("POST", "/api/webhooks/tasks/retry", #"{"id": \#(t)}"#),
            ("GET", "/api/webhooks/\(w)", nil), ("PUT", "/api/webhooks/\(w)", #"{"name": "x"}"#),
            ("POST", "/api/webhooks/\(w)/toggle", nil), ("POST", "/api/webhooks/\(w)/test", nil),
            ("GET", "/api/webhooks/\(w)/logs", nil), ("GET", "/api/webhooks/\(w)/stats", nil),
            ("GET", "/webhook/api/webhook/\(w)", nil), ("PUT", "/webhook/api/webhook/update", #"{"id": "\#(w)", "name": "x"}"#),
            ("GET", "/webhook/api/webhook/test/\(w)", nil), ("GET", "/webhook/api/webhook/retry/\(l)", nil),
            ("GET", "/webhook/api/log/list/\(w)", nil),
            ("DELETE", "/api/v1/webhooks/\(w)", nil), ("DELETE", "/api/webhooks/\(w)", nil), ("DELETE", "/webhook/api/webhook/delete/\(w)", nil),
        ]
    }

    @Test func anotherTenantsIdsAre404AndNeverTheirData() async throws {
        try await Harness.run { h in
            let url = "https://tenant-a.example.com/private-\(h.tenantA)"
            let w = try await h.createWebhook(token: h.callers.adminA, url: url, extra: #""secret": "tenant-a-secret""#)
            let fixture = try await Fixtures.delivery(webhookId: w)
            for route in Self.routes(webhook: w, task: fixture.taskId, log: fixture.failedLogId) {
                let reply = try await h.send(.init(rawValue: route.method)!, route.path, token: h.callers.adminB, body: route.body)
                #expect(reply.status == 404, "\(route.method) \(route.path): \(reply)")
                #expect(!reply.text.contains("tenant-a"), "\(route.method) \(route.path) leaked data: \(reply)")
            }
            // Listings of tenant B never show tenant A's rows.
            for path in [
                "/api/v1/webhooks", "/api/webhooks", "/api/webhooks/", "/webhook/api/webhook/list", "/api/v1/tasks",
                "/api/v1/logs", "/api/webhooks/tasks", "/api/webhooks/logs/recent",
            ] {
                let reply = try await h.send(.get, path, token: h.callers.adminB)
                #expect(reply.status == 200, "\(path): \(reply)")
                #expect(!reply.text.contains("tenant-a"), "\(path) leaked: \(reply)")
            }
            // Asking for tenant A by name is refused.
            for path in [
                "/api/v1/webhooks?tenant_id=\(h.tenantA)", "/api/webhooks?tenant_id=\(h.tenantA)",
                "/api/webhooks/tasks?tenant_id=\(h.tenantA)", "/api/v1/tasks?tenant_id=\(h.tenantA)",
            ] {
                let reply = try await h.send(.get, path, token: h.callers.adminB)
                #expect(reply.status == 403 && reply.code == "E_FORBIDDEN", "\(path): \(reply)")
            }
            // Creating in another tenant is refused.
            let cross = try await h.send(
                .post, "/api/v1/webhooks", token: h.callers.adminB,
                body: #"{"url": "https://x.example/\#(h.tenantA)", "events": ["a"], "tenant_id": \#(h.tenantA)}"#)
            #expect(cross.status == 403 && cross.code == "E_FORBIDDEN", "\(cross)")
            // The same URL in another tenant is fine: uniqueness is per tenant.
            #expect(try await h.createWebhook(token: h.callers.adminB, url: url) > 0)
            // Tenant A's webhook is untouched; the tenant-less operator sees it.
            let still = try await h.send(.get, "/api/v1/webhooks/\(w)", token: h.callers.root)
            #expect(still.status == 200 && still.data["name"] as? String == "test" && still.data["enabled"] as? Bool == true, "\(still)")
            let rootList = try await h.send(.get, "/api/v1/webhooks?tenant_id=\(h.tenantA)", token: h.callers.root)
            #expect(((rootList.data["items"] as? [[String: Any]]) ?? []).count == 1)
        }
    }

    @Test func viewersReadAndPublishersAreRefused() async throws {
        try await Harness.run { h in
            let w = try await h.createWebhook()
            let fixture = try await Fixtures.delivery(webhookId: w)
            let routes =
                Self.routes(webhook: w, task: fixture.taskId, log: fixture.failedLogId) + [
                    ("GET", "/api/v1/webhooks", nil), ("POST", "/api/v1/webhooks", #"{"url": "https://x.example/v", "events": ["a"]}"#),
                    ("GET", "/api/v1/tasks", nil), ("POST", "/api/v1/tasks/recover", #"{"since": "2020-01-01T00:00:00Z"}"#),
                    ("GET", "/api/v1/logs", nil), ("GET", "/api/v1/event-types", nil),
                    ("GET", "/api/webhooks", nil), ("POST", "/api/webhooks", #"{"url": "https://x.example/v"}"#),
                    ("GET", "/api/webhooks/tasks", nil), ("GET", "/api/webhooks/", nil),
                    ("POST", "/api/webhooks/", #"{"url": "https://x.example/v", "events": ["a"]}"#), ("GET", "/api/webhooks/logs/recent", nil),
                    ("POST", "/webhook/api/webhook/create", #"{"url": "https://x.example/v", "triggers": ["a"]}"#),
                    ("GET", "/webhook/api/webhook/list", nil),
                    ("GET", "/api/v1/users", nil), ("POST", "/api/v1/users", #"{"username": "u", "password": "p", "role": "viewer"}"#),
                    ("POST", "/api/v1/tokens", #"{"subject": "ci"}"#),
                ]
            for route in routes {
                let method = route.method
                let isRead = method == "GET" && !route.path.contains("/test/") && !route.path.contains("/retry/") && !route.path.hasSuffix("/users")
                let viewer = try await h.send(.init(rawValue: method)!, route.path, token: h.callers.viewerA, body: route.body)
                if isRead {
                    #expect(viewer.status == 200, "viewer \(method) \(route.path): \(viewer)")
                } else {
                    #expect(viewer.status == 403 && viewer.code == "E_FORBIDDEN", "viewer \(method) \(route.path): \(viewer)")
                }
                let publisher = try await h.send(.init(rawValue: method)!, route.path, token: h.callers.publisherA, body: route.body)
                #expect(publisher.status == 403 && publisher.code == "E_FORBIDDEN", "publisher \(method) \(route.path): \(publisher)")
                let anonymous = try await h.send(.init(rawValue: method)!, route.path, body: route.body)
                #expect(anonymous.status == 401 && anonymous.code == "E_UNAUTHORIZED", "anonymous \(method) \(route.path): \(anonymous)")
            }
            // Nothing was changed by the refused calls.
            let after = try await h.send(.get, "/api/v1/webhooks/\(w)", token: h.callers.adminA)
            #expect(after.status == 200 && after.data["name"] as? String == "test")
        }
    }
}
