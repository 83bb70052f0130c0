import Foundation
import TestSupport
import Testing

/// Hostile input on every route of every dialect (`HostileInputCatalogue`): never a 5xx, always the
/// expected 4xx with a stable code where the dialect puts it, never anything internal in the body.
@Suite struct HostileInputTests {
    /// Words that would give away internals: the database's errors, Foundation's and Swift's.
    static let internalWords = [
        "PSQL", "Postgres", "postgres", "22021", "22P05", "invalid byte sequence", "unsupported Unicode escape", "SQLSTATE",
        "Error Domain", "DecodingError", "codingPath", "debugDescription", "Swift.", "Int64", "Optional(", "RegistryApp",
        "ServiceKit", "WebhookInput", "does not fit in",
    ]

    /// The tenant-parameter dialect's paths (their errors are `{"code","msg","data"}`).
    static let tenantQueryPaths: Set<String> = ["/api/webhooks", "/api/webhooks/delete", "/api/webhooks/tasks", "/api/webhooks/tasks/retry"]

    /// Checks the answer's envelope: the dialect's fields and the code where its clients read it.
    static func envelopeProblem(_ path: String, _ reply: Reply) -> String? {
        let route = String(path.prefix { $0 != "?" })
        let object = reply.object
        guard let code = reply.code, code.hasPrefix("E_"), code.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) else {
            return "no stable code"
        }
        if route.hasPrefix("/api/v1") {
            guard object["message"] is String, object.keys.contains("data") else { return "not the canonical envelope" }
        } else if route.hasPrefix("/webhook/api/") {
            guard object["message"] is String, object["traceId"] is String else { return "not bkrepo's envelope" }
        } else if tenantQueryPaths.contains(route) {
            guard object["msg"] is String, object.keys.contains("data") else { return "not the tenant-parameter envelope" }
        } else if route.hasPrefix("/api/webhooks/") {
            guard object["detail"] is String else { return "not the FastAPI-style envelope" }
        } else {
            guard object["message"] is String, object["msg"] is String else { return "not the union envelope" }
        }
        return nil
    }

    @Test func everyRouteOfEveryDialectRefusesHostileInput() async throws {
        try await Harness.run { h in
            let webhookId = try await h.createWebhook(url: "https://example.com/hostile-\(UUID().uuidString)")
            let delivery = try await Fixtures.delivery(webhookId: webhookId)
            let before = try await h.send(.get, "/api/v1/webhooks/\(webhookId)", token: h.callers.adminA)
            let catalogue = HostileInputCatalogue(webhookId: webhookId, taskId: delivery.taskId, logId: delivery.failedLogId)
            let cases = catalogue.cases
            #expect(cases.count > 900, "the table covers every route: \(cases.count) cases")
            var failures = 0
            for c in cases {
                let reply = try await h.send(c.method, c.path, token: c.anonymous ? nil : h.callers.adminA, body: c.body)
                let leaked = Self.internalWords.filter { reply.text.contains($0) }
                let problem: String? =
                    if reply.status >= 500 { "a server error" } else if reply.status != c.status || reply.code != c.code {
                        "expected \(c.status) \(c.code)"
                    } else if !leaked.isEmpty { "internal words in the body: \(leaked)" } else if let envelope = Self.envelopeProblem(c.path, reply) {
                        envelope
                    } else if reply.header("X-Request-Id")?.isEmpty != false { "no X-Request-Id" } else { nil }
                if let problem {
                    failures += 1
                    Issue.record("\(c): \(problem); got \(reply)")
                    if failures > 40 { break }
                }
            }

            // Nothing was written: the webhook is as it was and no other was created.
            let after = try await h.send(.get, "/api/v1/webhooks/\(webhookId)", token: h.callers.adminA)
            #expect(after.data["name"] as? String == before.data["name"] as? String)
            #expect(after.data["url"] as? String == before.data["url"] as? String)
            #expect(after.data["headers"] as? [String: String] == [:])
            #expect(after.data["status"] as? String == "active")
            let listed = try await h.send(.get, "/api/v1/webhooks?page_size=100", token: h.callers.adminA)
            #expect((listed.data["items"] as? [Any])?.count == 1, "\(listed)")
        }
    }

    /// The rules are the same for every way of writing a webhook; what they let through is stored
    /// as sent (plain spaces around the URL dropped).
    @Test func acceptedInputIsStoredAsSent() async throws {
        try await Harness.run { h in
            let url = "https://example.com/exact-\(UUID().uuidString)"
            let created = try await h.send(
                .post, "/api/v1/webhooks", token: h.callers.adminA,
                body: #"""
                    {"name": "line\nbreaks\tand ünïcode", "url": "  \#(url)  ", "events": ["job.failed"],
                     "headers": {"Authorization": "Bearer a\tb", "X-Ünïcode-Value": "ok"}}
                    """#)
            #expect(created.status == 400 && created.code == "E_INVALID_HEADERS", "header names are ASCII tokens: \(created)")
            let ok = try await h.send(
                .post, "/api/v1/webhooks", token: h.callers.adminA,
                body: #"""
                    {"name": "line\nbreaks\tand ünïcode", "url": "  \#(url)  ", "events": ["job.failed"],
                     "headers": {"Authorization": "Bearer a\tb", "X-Value": "ünïcode"}}
                    """#)
            #expect(ok.status == 201, "\(ok)")
            #expect(ok.data["url"] as? String == url)
            #expect(ok.data["name"] as? String == "line\nbreaks\tand ünïcode")
            #expect(ok.data["headers"] as? [String: String] == ["Authorization": "Bearer a\tb", "X-Value": "ünïcode"])
            let tabbed = try await h.send(
                .post, "/api/v1/webhooks", token: h.callers.adminA,
                body: #"{"url": "\t\#(url)-tab", "events": ["job.failed"]}"#)
            #expect(tabbed.status == 400 && tabbed.code == "E_INVALID_URL", "only plain spaces are trimmed: \(tabbed)")
        }
    }
}
