import Foundation
import TestSupport
import Testing

/// Ingest and NUL (U+0000): refused in the fields stored as text columns, kept byte for byte in
/// `data` (stored as JSON text, where it is the escape \u0000).
@Suite("Hostile events")
struct HostileEventTests {
    /// Python's canonical form of the body it reads: what a receiver re-serialising with
    /// `sort_keys=True` compares with.
    static let canonical = "import json, sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), sort_keys=True))"

    @Test func nulIsRefusedInTextFieldsAndDeliveredExactlyInData() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let events = platform.ingestURL + "/api/v1/events"
            let scope = #""tenant_id": \#(tenant), "association_type": "PROJECT", "association_id": "p1""#
            for (field, value) in [
                ("id", #""evt-a\u0000b""#), ("type", #""job.fail\u0000ed""#), ("resource_key", #""/a\u0000/b""#),
                ("association_id", #""p\u00001""#), ("occurred_at", #""2026-01-26T10:00:00Z\u0000""#),
            ] {
                let body = #"{"type": "job.failed", \#(scope), "\#(field)": \#(value)}"#
                let reply = try await http.send("POST", events, token: token, body: body)
                #expect(reply.status == 400 && reply.json["code"] as? String == "E_INVALID_CHARACTER", "\(field): \(reply.status) \(reply.text)")
                #expect(reply.header("X-Request-Id")?.isEmpty == false)
            }
            let batch = try await http.send(
                "POST", events, token: token,
                body: #"[{"type": "job.failed", \#(scope)}, {"type": "job.failed", \#(scope), "resource_key": "\u0000"}]"#)
            #expect(batch.status == 400 && batch.json["code"] as? String == "E_INVALID_CHARACTER" && batch.text.contains("events[1]"), "\(batch.text)")
            let unknownRoute = try await http.send("GET", platform.ingestURL + "/nothing", token: token)
            #expect(unknownRoute.status == 404 && unknownRoute.json["code"] as? String == "E_NOT_FOUND", "\(unknownRoute.text)")

            let webhook = try await platform.createWebhook(
                http, token: token,
                json: #"""
                    {"url": "\#(receiver.url())", "events": ["job.failed"], "tenant_id": \#(tenant)}
                    """#)
            try await platform.waitForIndex(http)
            let eventID = "evt-nul-\(UUID().uuidString)"
            let ids = try await platform.postEvents(
                http, token: token,
                json: #"""
                    {"id": "\#(eventID)", "type": "job.failed", \#(scope), "resource_key": "/ok",
                     "data": {"note": "a\u0000b", "k\u0000": ["\u0000", "ünï"]}}
                    """#)
            #expect(ids == [eventID])
            let received = await receiver.waitForRequests(1)
            let request = try #require(received.first, "delivery log:\n\(platform.delivery.logTail())")
            #expect(!request.body.contains(0), "NUL travels as the escape, never as a byte")
            #expect(request.bodyText.contains(#""data": {"k\u0000": ["\u0000", "\u00fcn\u00ef"], "note": "a\u0000b"}"#), "\(request.bodyText)")
            let python = try PythonOracle.run(Self.canonical, input: request.body)
            #expect(python == request.body, "the body is Python's canonical form of itself")

            // The attempt is recorded and shown with the same bytes.
            let logs = try await platform.waitForLogs(http, token: token, webhookID: webhook.id) { !$0.isEmpty }
            let shown = try #require(logs.first?["request_body"] as? String, "\(logs)")
            #expect(Array(shown.utf8) == request.body)
        }
        await receiver.stop()
    }
}
