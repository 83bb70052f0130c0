import Foundation
import TestSupport
import Testing

/// Webhooks' payload filters over real processes, RabbitMQ and PostgreSQL: of two webhooks on the
/// same event type, only the one whose filter holds gets the event.
@Suite("Payload filters end to end", .serialized)
struct PayloadFilterDeliveryTests {
    @Test func onlyTheWebhookWhoseFilterHoldsGetsTheEvent() async throws {
        let receiver = try await TestReceiver()
        try await Platform.with { platform, http, token in
            let tenant = TestEnvironment.uniqueTenant()
            let matching = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url("/prod"))", "events": ["deploy.finished"], "tenant_id": \(tenant),
                     "filter": {"data.env": "prod", "data.attempts": {"$gte": 2}, "tenant_id": \(tenant)}}
                    """)
            let other = try await platform.createWebhook(
                http, token: token,
                json: """
                    {"url": "\(receiver.url("/dev"))", "events": ["deploy.finished"], "tenant_id": \(tenant),
                     "filter": {"$or": [{"data.env": "dev"}, {"data.attempts": {"$lt": 2}}]}}
                    """)
            let shown = try await platform.webhook(http, token: token, id: other.id)
            #expect((shown["filter"] as? [String: Any])?["$or"] is [Any], "the filter is stored: \(shown)")

            try await platform.waitForIndex(http)
            let ids = try await platform.postEvents(
                http, token: token, json: #"{"type": "deploy.finished", "tenant_id": \#(tenant), "data": {"env": "prod", "attempts": 3}}"#)

            let received = await receiver.waitForRequests(1)
            try #require(received.count == 1, "delivery log:\n\(platform.delivery.logTail())")
            #expect(received[0].path == "/prod")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(received[0].body)) as? [String: Any])
            #expect(body["id"] as? String == ids.first)

            let logs = try await platform.waitForLogs(http, token: token, webhookID: matching.id) { $0.count == 1 }
            #expect(logs.count == 1)
            #expect(logs.first?["success"] as? Bool == true)

            // The other webhook gets nothing, not even an attempt.
            try await Task.sleep(for: .seconds(2))
            #expect(receiver.requests.count == 1, "\(receiver.requests.map(\.path))")
            #expect(try await platform.logs(http, token: token, webhookID: other.id).isEmpty)
        }
        await receiver.stop()
    }
}
