import Foundation
import TestSupport
import Testing

/// One event from ingest to a subscriber through real RabbitMQ and PostgreSQL, over real processes.
@Suite("End to end", .serialized)
struct WalkingSkeletonTests {
    /// Standard Webhooks verification, written independently in Python from the specification.
    static let verifier = """
        import base64, hashlib, hmac, json, sys
        d = json.loads(sys.stdin.read())
        key = base64.b64decode(d["secret"][len("whsec_"):])
        signed = (d["id"] + "." + d["ts"] + "." + d["body"]).encode()
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        ok = any(hmac.compare_digest(expected, e.split(",", 1)[1]) for e in d["sig"].split(" ") if e.startswith("v1,"))
        print("ok" if ok else "bad")
        """

    @Test func eventTravelsFromIngestToTheSubscriber() async throws {
        let env = try TestEnvironment.require()
        let receiver = try await TestReceiver()
        let platform = try await Platform.start(env)
        let http = TestHTTP()
        do {
            let token = try await platform.adminToken(http)
            let tenant = TestEnvironment.uniqueTenant()

            let created = try await http.send(
                "POST", platform.registryURL + "/api/v1/webhooks", token: token,
                body: """
                    {"name": "e2e", "url": "\(receiver.url())", "events": ["job.failed"], "tenant_id": \(tenant)}
                    """)
            #expect(created.status == 201, "\(created.text)")
            let webhookID = try #require(created.data["webhook_id"] as? Int)
            let secret = try #require(created.data["secret"] as? String)
            #expect(secret.hasPrefix("whsec_"))

            try await platform.waitForIndex(http)
            let listed = try await http.send("GET", platform.registryURL + "/api/v1/webhooks", token: token)
            #expect(listed.status == 200)
            #expect(!listed.text.contains(secret), "secrets never appear in lists")

            let eventID = "evt-e2e-\(UUID().uuidString)"
            let posted = try await http.send(
                "POST", platform.ingestURL + "/api/v1/events", token: token,
                body: """
                    {"id": "\(eventID)", "type": "job.failed", "tenant_id": \(tenant), "data": {"job_id": "job-abc123", "note": "ünïcode"}}
                    """)
            #expect(posted.status == 202, "\(posted.text)")
            #expect((posted.data["ids"] as? [String]) == [eventID])

            let received = await receiver.waitForRequests(1)
            try #require(received.count == 1, "delivery log:\n\(platform.delivery.logTail())")
            let request = received[0]
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(body["id"] as? String == eventID)
            #expect(body["event"] as? String == "job.failed")
            #expect((body["data"] as? [String: Any])?["job_id"] as? String == "job-abc123")
            #expect(request.header("X-Webhook-Event") == "job.failed")

            let check: [String: String] = [
                "secret": secret, "id": request.header("webhook-id") ?? "", "ts": request.header("webhook-timestamp") ?? "",
                "body": request.bodyText, "sig": request.header("webhook-signature") ?? "",
            ]
            let verdict = try PythonOracle.run(Self.verifier, input: Array(try JSONEncoder().encode(check)))
            #expect(String(decoding: verdict, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "ok")

            // The attempt is committed and listed by the registry.
            var items: [[String: Any]] = []
            let deadline = ContinuousClock.now + .seconds(15)
            while items.isEmpty && ContinuousClock.now < deadline {
                let logs = try await http.send("GET", platform.registryURL + "/api/v1/webhooks/\(webhookID)/logs", token: token)
                #expect(logs.status == 200)
                items = logs.data["items"] as? [[String: Any]] ?? []
                if items.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(items.count == 1)
            #expect(items[0]["event_type"] as? String == "job.failed")
            #expect(items[0]["status_code"] as? Int == 200)
            #expect(items[0]["success"] as? Bool == true)
            #expect(items[0]["event_id"] as? String == eventID)

            // Exactly once: nothing else arrives.
            try await Task.sleep(for: .milliseconds(500))
            #expect(receiver.requests.count == 1)
        } catch {
            Issue.record("logs:\nregistry:\n\(platform.registry.logTail())\ningest:\n\(platform.ingest.logTail())\ndelivery:\n\(platform.delivery.logTail())")
            await platform.stop()
            await receiver.stop()
            await http.shutdown()
            throw error
        }
        let statuses = await platform.stop()
        #expect(statuses == [0, 0, 0], "services exit cleanly on SIGTERM")
        await receiver.stop()
        await http.shutdown()
    }

    @Test func badInputGetsClearErrors() async throws {
        let env = try TestEnvironment.require()
        let platform = try await Platform.start(env)
        let http = TestHTTP()
        defer { Task { await http.shutdown() } }
        do {
            let token = try await platform.adminToken(http)
            let hooks = platform.registryURL + "/api/v1/webhooks"

            func expectError(_ r: TestResponse, _ status: Int, _ code: String) {
                #expect(r.status == status, "\(r.text)")
                #expect(r.json["code"] as? String == code, "\(r.text)")
            }
            expectError(try await http.send("GET", hooks), 401, "E_UNAUTHORIZED")
            expectError(try await http.send("GET", hooks, token: "not.a.jwt"), 401, "E_UNAUTHORIZED")
            expectError(try await http.send("POST", platform.ingestURL + "/api/v1/events", body: "{}"), 401, "E_UNAUTHORIZED")
            expectError(
                try await http.send("POST", platform.registryURL + "/api/auth/login", body: #"{"username": "admin", "password": "wrong"}"#),
                401, "E_INVALID_CREDENTIALS")
            expectError(try await http.send("POST", hooks, token: token, body: "{not json"), 400, "E_INVALID_JSON")
            expectError(try await http.send("POST", hooks, token: token, body: #"{"url": 5, "events": ["a"]}"#), 400, "E_WRONG_TYPE")
            expectError(try await http.send("POST", hooks, token: token, body: #"{"events": ["a"]}"#), 400, "E_MISSING_FIELD")
            expectError(try await http.send("POST", hooks, token: token, body: #"{"url": "ftp://x", "events": ["a"]}"#), 400, "E_INVALID_URL")
            expectError(try await http.send("GET", hooks + "/987654321", token: token), 404, "E_NOT_FOUND")
            expectError(try await http.send("GET", hooks + "/987654321/logs", token: token), 404, "E_NOT_FOUND")
            expectError(try await http.send("GET", hooks + "?page_size=1000", token: token), 400, "E_INVALID_PAGINATION")

            let tenant = TestEnvironment.uniqueTenant()
            let body = #"{"url": "https://example.com/dup-\#(tenant)", "events": ["a.b"], "tenant_id": \#(tenant)}"#
            #expect(try await http.send("POST", hooks, token: token, body: body).status == 201)
            expectError(try await http.send("POST", hooks, token: token, body: body), 409, "E_ENDPOINT_EXISTS")

            let events = platform.ingestURL + "/api/v1/events"
            expectError(try await http.send("POST", events, token: token, body: "[1,"), 400, "E_INVALID_JSON")
            expectError(try await http.send("POST", events, token: token, body: #"{"data": {}}"#), 400, "E_MISSING_FIELD")
            expectError(try await http.send("POST", events, token: token, body: #"{"type": "no spaces allowed"}"#), 400, "E_INVALID_EVENT_TYPE")
        } catch {
            await platform.stop()
            throw error
        }
        await platform.stop()
    }
}
