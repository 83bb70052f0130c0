import Foundation
import TestSupport
import Testing

/// A repeated event id is accepted and never fans out again: duplicates in one batch (consumed at
/// the same time by the fan-out stage), and a retried request with the same `Idempotency-Key`.
@Suite("Idempotency")
struct IdempotencyTests {
    @Test func repeatedIdsDeliverOnce() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            _ = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url())", "events": ["service.restarted"], "tenant_id": \(tenant)}
                    """)
            try await platform.waitForIndex(http)

            // The same id 20 times in one batch: all accepted, one delivery.
            let id = "evt_dup_\(UUID().uuidString.prefix(8).lowercased())"
            let one = #"{"id": "\#(id)", "type": "service.restarted", "tenant_id": \#(tenant), "data": {"n": 1}}"#
            let ids = try await platform.postEvents(http, token: token, json: "[" + Array(repeating: one, count: 20).joined(separator: ", ") + "]")
            #expect(ids == Array(repeating: id, count: 20))

            // A request retried with its Idempotency-Key gets the same ids and delivers once.
            let body = #"[{"type": "service.restarted", "tenant_id": \#(tenant), "data": {"n": 2}}]"#
            let key = ["Idempotency-Key": "retry-\(UUID().uuidString)"]
            let first = try await http.send("POST", platform.ingestURL + "/api/v1/events", token: token, body: body, headers: key)
            let second = try await http.send("POST", platform.ingestURL + "/api/v1/events", token: token, body: body, headers: key)
            #expect(first.status == 202 && second.status == 202)
            let firstIDs = first.data["ids"] as? [String]
            #expect(firstIDs != nil && firstIDs == second.data["ids"] as? [String])

            #expect(await receiver.waitForRequests(2).count == 2)
            try await Task.sleep(for: .seconds(3))
            let received = receiver.requests
            #expect(received.count == 2, "one delivery per distinct event id")
            #expect(Set(received.map { $0.header("webhook-id") ?? "" }).count == 2)
            let metrics = try await http.send("GET", platform.deliveryURL + "/metrics")
            #expect(metrics.text.contains("webhooks_delivery_duplicate_events_total 20"), "19 in the batch and 1 retried request")
        }
        await receiver.stop()
    }
}
