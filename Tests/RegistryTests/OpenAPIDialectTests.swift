import Foundation
import TestSupport
import Testing

/// Every dialect's answers, successes and errors, against the operations `/openapi.json` documents for
/// them (the canonical routes are checked in `CanonicalWebhookTests` and `CanonicalTaskTests`).
@Suite struct OpenAPIDialectTests {
    @Test func documentNamesEveryDialectAndIngestWithUniqueOperationIds() async throws {
        try await Harness.run { h in
            let reply = try await h.send(.get, "/openapi.json")
            #expect(reply.status == 200)
            let paths = try #require(reply.object["paths"] as? [String: [String: Any]])
            for path in [
                "/api/webhooks", "/api/webhooks/", "/api/webhooks/delete", "/api/webhooks/tasks/retry", "/api/webhooks/{id}/toggle",
                "/api/webhooks/logs/recent", "/webhook/api/webhook/create", "/webhook/api/log/list/{webHookId}",
                "/api/v1/events", "/api/auth/login",
            ] {
                #expect(paths[path] != nil, "\(path) is not documented")
            }
            var ids: [String: Int] = [:]
            for (_, item) in paths {
                for (method, op) in item where ["get", "put", "post", "delete", "patch"].contains(method) {
                    let id = (op as? [String: Any])?["operationId"] as? String
                    #expect(id != nil)
                    if let id { ids[id, default: 0] += 1 }
                }
            }
            #expect(ids.values.allSatisfy { $0 == 1 }, "\(ids.filter { $0.value > 1 })")
            let events = try #require(paths["/api/v1/events"])
            let publish = try #require(events["post"] as? [String: Any])
            #expect((publish["servers"] as? [[String: Any]])?.first?["url"] as? String != nil, "ingest's operation has its own server")
            #expect(events["servers"] == nil, "the path's GET is the registry's")
            #expect((events["get"] as? [String: Any])?["operationId"] as? String == "listEvents")
            let schemes = (reply.object["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: Any]]
            #expect(schemes?["bearer"]?["scheme"] as? String == "bearer")
        }
    }

    @Test func dialectAnswersMatchTheDocument() async throws {
        let receiver = try await TestReceiver()
        defer { Task { await receiver.stop() } }
        try await Harness.run { h in
            let doc = try OpenAPIChecker(json: try await h.send(.get, "/openapi.json").json)
            let admin = h.callers.adminA
            func check(_ method: String, _ template: String, _ reply: Reply, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(reply.status == status, "\(method) \(template): \(reply)", sourceLocation: sourceLocation)
                let problems = doc.problems(method, template, reply)
                #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
            }

            // Tenant-parameter dialect.
            let tq = try await h.send(.post, "/api/webhooks", token: admin, body: #"{"url": "\#(receiver.url("/tq-\(h.tenantA)"))", "secret": "s"}"#)
            check("POST", "/api/webhooks", tq, 201)
            let tqID = try #require(tq.object["webhook_id"] as? Int)
            check("GET", "/api/webhooks", try await h.send(.get, "/api/webhooks?page_size=5", token: admin), 200)
            check("GET", "/api/webhooks/tasks", try await h.send(.get, "/api/webhooks/tasks", token: h.callers.viewerA), 200)
            let delivery = try await Fixtures.delivery(webhookId: Int64(tqID))
            check(
                "POST", "/api/webhooks/tasks/retry", try await h.send(.post, "/api/webhooks/tasks/retry", token: admin, body: #"{"id": \#(delivery.taskId)}"#),
                200)
            check("POST", "/api/webhooks/tasks/retry", try await h.send(.post, "/api/webhooks/tasks/retry", token: admin, body: #"{"id": 0}"#), 404)
            check("GET", "/api/webhooks", try await h.send(.get, "/api/webhooks?page=0", token: admin), 400)
            check("POST", "/api/webhooks/delete", try await h.send(.post, "/api/webhooks/delete", token: h.callers.viewerA, body: #"{"id": \#(tqID)}"#), 403)

            // bkrepo dialect.
            let bk = try await h.send(
                .post, "/webhook/api/webhook/create", token: admin,
                body: #"{"url": "\#(receiver.url("/bk-\(h.tenantA)"))", "triggers": ["NODE_CREATED"], "associationType": "PROJECT", "associationId": "demo"}"#)
            check("POST", "/webhook/api/webhook/create", bk, 200)
            let bkID = try #require(bk.data["id"] as? String)
            check("GET", "/webhook/api/webhook/{id}", try await h.send(.get, "/webhook/api/webhook/\(bkID)", token: h.callers.viewerA), 200)
            check("GET", "/webhook/api/webhook/list", try await h.send(.get, "/webhook/api/webhook/list?associationType=PROJECT", token: admin), 200)
            check(
                "PUT", "/webhook/api/webhook/update",
                try await h.send(
                    .put, "/webhook/api/webhook/update", token: admin,
                    body: #"{"id": "\#(bkID)", "token": "new-secret"}"#), 200)
            check("GET", "/webhook/api/webhook/test/{id}", try await h.send(.get, "/webhook/api/webhook/test/\(bkID)", token: admin), 200)
            let bkLogs = try await h.send(.get, "/webhook/api/log/list/\(bkID)?pageSize=5", token: admin)
            check("GET", "/webhook/api/log/list/{webHookId}", bkLogs, 200)
            let testLogID = try #require(((bkLogs.object["data"] as? [[String: Any]])?.first?["id"] as? String))
            check("GET", "/webhook/api/webhook/retry/{logId}", try await h.send(.get, "/webhook/api/webhook/retry/\(testLogID)", token: admin), 409)
            check("GET", "/webhook/api/webhook/retry/{logId}", try await h.send(.get, "/webhook/api/webhook/retry/\(delivery.failedLogId)", token: admin), 200)
            check("GET", "/webhook/api/webhook/{id}", try await h.send(.get, "/webhook/api/webhook/999999999", token: admin), 404)
            check("POST", "/webhook/api/webhook/create", try await h.send(.post, "/webhook/api/webhook/create", token: admin, body: #"{"url": "x"}"#), 400)
            check("DELETE", "/webhook/api/webhook/delete/{id}", try await h.send(.delete, "/webhook/api/webhook/delete/\(bkID)", token: admin), 200)

            // FastAPI-style dialect.
            let fa = try await h.send(.post, "/api/webhooks/", token: admin, body: #"{"url": "\#(receiver.url("/fa-\(h.tenantA)"))", "events": ["job.*"]}"#)
            check("POST", "/api/webhooks/", fa, 201)
            let faID = try #require(fa.object["id"] as? Int)
            check("GET", "/api/webhooks/", try await h.send(.get, "/api/webhooks/?limit=10", token: admin), 200)
            check("GET", "/api/webhooks/{id}", try await h.send(.get, "/api/webhooks/\(faID)", token: h.callers.viewerA), 200)
            check("PATCH", "/api/webhooks/{id}", try await h.send(.patch, "/api/webhooks/\(faID)", token: admin, body: #"{"name": "n"}"#), 200)
            check("POST", "/api/webhooks/{id}/toggle", try await h.send(.post, "/api/webhooks/\(faID)/toggle", token: admin), 200)
            check("POST", "/api/webhooks/{id}/test", try await h.send(.post, "/api/webhooks/\(faID)/test", token: admin), 200)
            check("GET", "/api/webhooks/{id}/logs", try await h.send(.get, "/api/webhooks/\(faID)/logs", token: admin), 200)
            check("GET", "/api/webhooks/{id}/stats", try await h.send(.get, "/api/webhooks/\(faID)/stats?hours=2", token: admin), 200)
            check("GET", "/api/webhooks/logs/recent", try await h.send(.get, "/api/webhooks/logs/recent?hours=1", token: admin), 200)
            check("GET", "/api/webhooks/", try await h.send(.get, "/api/webhooks/?skip=3&limit=10", token: admin), 400)
            check("GET", "/api/webhooks/{id}", try await h.send(.get, "/api/webhooks/\(faID)"), 401)
            check("DELETE", "/api/webhooks/{id}", try await h.send(.delete, "/api/webhooks/\(faID)", token: admin), 204)
            check("DELETE", "/api/webhooks/{id}", try await h.send(.delete, "/api/webhooks/\(faID)", token: admin), 404)

            // Login (the union envelope).
            check(
                "POST", "/api/auth/login",
                try await h.send(
                    .post, "/api/auth/login",
                    body: #"{"username": "\#(h.adminUsername)", "password": "\#(h.adminPassword)"}"#), 200)
            check("POST", "/api/auth/login", try await h.send(.post, "/api/auth/login", body: #"{"username": "nobody", "password": "x"}"#), 401)
        }
    }
}
