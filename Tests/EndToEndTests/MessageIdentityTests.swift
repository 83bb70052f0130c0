import Foundation
import TestSupport
import Testing

/// `webhook-id` is the event's: the same for every endpoint, retry and redelivery, different for the
/// same id in two tenants. The attempt logs of every dialect show the body the receiver got, rebuilt
/// from the event (delivery does not store it again).
@Suite("Event identity and logged bodies", .serialized)
struct MessageIdentityTests {
    /// The formula written independently: `msg_` + 32 hex digits of SHA-256 over `<scope>/<id>`.
    static let oracle = """
        import hashlib, sys
        for line in sys.stdin.read().splitlines():
            print("msg_" + hashlib.sha256(line.encode()).hexdigest()[:32])
        """

    func expectedIDs(_ keys: [String]) throws -> [String] {
        let out = try PythonOracle.run(Self.oracle, input: Array(keys.joined(separator: "\n").utf8))
        return String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func oneWebhookIDPerEventAndEveryLogShowsTheBodySent() async throws {
        let steady = try await TestReceiver()
        let flaky = try await TestReceiver { n, _ in ReceiverReply(status: n == 1 ? 500 : 200) }
        try await Platform.with(DeliveryBehaviourTests.fastRetries) { platform, http, token in
            let a = TestEnvironment.uniqueTenant(), b = TestEnvironment.uniqueTenant()
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(steady.url("/a"))", "events": ["build.done"], "tenant_id": \(a)}
                    """)
            let flakyHook = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(flaky.url("/a"))", "events": ["build.*"], "tenant_id": \(a)}
                    """)
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(steady.url("/b"))", "events": ["build.done"], "tenant_id": \(b)}
                    """)
            try await platform.waitForIndex(http)

            let id = "build-\(UUID().uuidString.prefix(8).lowercased())"
            for tenant in [a, b] {
                try await platform.postEvents(
                    http, token: token,
                    json: """
                        {"id": "\(id)", "type": "build.done", "tenant_id": \(tenant), "data": {"note": "naïve ☃ \\u0000", "n": 1e2}}
                        """)
            }
            let steadyGot = await steady.waitForRequests(2)
            let flakyGot = await flaky.waitForRequests(2)
            try #require(steadyGot.count == 2 && flakyGot.count == 2, "delivery log:\n\(platform.delivery.logTail())")
            let expected = try expectedIDs(["\(a)/\(id)", "\(b)/\(id)"])
            let toA = try #require(steadyGot.first { $0.path == "/a" }), toB = try #require(steadyGot.first { $0.path == "/b" })
            #expect(toA.header("webhook-id") == expected[0], "the event's id, computed independently")
            #expect(flakyGot.map { $0.header("webhook-id") } == [expected[0], expected[0]], "the same on the other endpoint and on its retry")
            #expect(toB.header("webhook-id") == expected[1])
            #expect(expected[0] != expected[1], "the same event id in two tenants: two webhook-ids")
            #expect(flakyGot[0].body == toA.body && flakyGot[1].body == toA.body, "one body for the event")

            // Every dialect's log view shows both attempts (the failed first one and the retry) with
            // the body exactly as the receiver got it.
            let sent = flakyGot[1].body
            let logs = try await platform.waitForLogs(http, token: token, webhookID: flakyHook.id) { $0.count == 2 }
            try #require(logs.count == 2, "\(logs)")
            #expect(logs.map { $0["status_code"] as? Int } == [200, 500])
            for item in logs {
                #expect(Array(try #require(item["request_body"] as? String, "\(item)").utf8) == sent, "/api/v1/webhooks/{id}/logs")
            }
            let logIDs = logs.compactMap { $0["log_id"] as? Int }
            let registry = platform.registryURL
            let all = try await http.send("GET", registry + "/api/v1/logs?webhook_id=\(flakyHook.id)", token: token)
            let allItems = all.data["items"] as? [[String: Any]] ?? []
            #expect(allItems.count == 2, "\(all.text)")
            for item in allItems { #expect(Array((item["request_body"] as? String ?? "").utf8) == sent, "/api/v1/logs") }
            for logID in logIDs {
                let one = try await http.send("GET", registry + "/api/v1/logs/\(logID)", token: token)
                #expect(Array((one.data["request_body"] as? String ?? "").utf8) == sent, "/api/v1/logs/{id}: \(one.text)")
            }
            let fastAPI = try await http.send("GET", registry + "/api/webhooks/\(flakyHook.id)/logs?limit=50", token: token)
            let fastAPIItems = fastAPI.json["items"] as? [[String: Any]] ?? []
            #expect(fastAPIItems.count == 2, "\(fastAPI.text)")
            for item in fastAPIItems { #expect(Array((item["request_body"] as? String ?? "").utf8) == sent, "/api/webhooks/{id}/logs") }
            let recent = try await http.send("GET", registry + "/api/webhooks/logs/recent?hours=1&limit=500", token: token)
            let recentItems = (recent.json["items"] as? [[String: Any]] ?? []).filter { logIDs.contains($0["log_id"] as? Int ?? -1) }
            #expect(recentItems.count == 2, "\(recent.text.prefix(2000))")
            for item in recentItems { #expect(Array((item["request_body"] as? String ?? "").utf8) == sent, "/api/webhooks/logs/recent") }
            let bkrepo = try await http.send("GET", registry + "/webhook/api/log/list/\(flakyHook.id)", token: token)
            let bkrepoItems = bkrepo.json["data"] as? [[String: Any]] ?? []
            #expect(bkrepoItems.count == 2, "\(bkrepo.text)")
            for item in bkrepoItems { #expect(Array((item["requestPayload"] as? String ?? "").utf8) == sent, "/webhook/api/log/list/{id}") }
        }
        await steady.stop()
        await flaky.stop()
    }
}
