import Foundation
import Testing

@testable import WebhookCore

/// `webhook-id` is the event's identity, not a task's: what receivers deduplicate on.
@Suite("webhook-id")
struct MessageIDTests {
    @Test("msg_ and the first 32 hex digits of SHA-256 over \"<scope>/<id>\" (values computed with Python's hashlib)")
    func formula() {
        #expect(EventKey(scope: 7, id: "evt-1").messageID == "msg_c54a4e257b59acf2ea519df6fe11141c")
        #expect(EventKey(scope: EventKey.systemScope, id: "evt-1").messageID == "msg_5872ec637e72b359dc7f5fc5a4045b98")
    }

    @Test("the same for every task (webhook, retry) of one event; different per tenant and per id")
    func scope() {
        let key = EventKey(scope: 7, id: "evt-1")
        let tasks = [
            DeliveryTask(id: 1, eventId: "evt-1", eventScope: 7, webhookId: 10, status: .pending, attempts: 0, nextTryAt: nil, createdAt: Date()),
            DeliveryTask(
                id: 2, eventId: "evt-1", eventScope: 7, webhookId: 11, status: .retry, attempts: 3, nextTryAt: nil, createdAt: Date(),
                scheduleVersion: 4),
        ]
        #expect(tasks.map(\.messageID) == [key.messageID, key.messageID])
        #expect(EventKey(scope: 8, id: "evt-1").messageID != key.messageID, "the same id in another tenant is another event")
        #expect(EventKey(scope: EventKey.systemScope, id: "evt-1").messageID != key.messageID)
        #expect(EventKey(scope: 7, id: "evt-2").messageID != key.messageID)
        // The scope's digits cannot run into the id: 1 + "2/x" is not 12 + "/x" nor 1 + "/2/x".
        #expect(EventKey(scope: 1, id: "2/x").messageID != EventKey(scope: 12, id: "x").messageID)
        #expect(Set([EventKey(scope: 1, id: "2/x"), EventKey(scope: 12, id: "/x"), EventKey(scope: 12, id: "x")].map(\.messageID)).count == 3)
        #expect(key.messageID.count == 36 && key.messageID.hasPrefix("msg_"))
    }

    @Test("signed exactly as before: webhook-signature covers id.timestamp.body with the event's id")
    func signs() throws {
        let event = Event(
            id: "evt-1", type: "job.failed", occurredAt: Date(timeIntervalSince1970: 1_706_256_000), tenantId: 7,
            data: try JSONParser.parse(#"{"a": 1}"#))
        let webhook = Webhook(tenantId: 7, url: "https://example.com/hook", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", events: ["*"])
        let request = WebhookRequest.make(webhook: webhook, event: event, messageID: event.key.messageID, timestamp: 1_706_256_001)
        let header = request.headers.first { $0.name == "webhook-id" }?.value
        #expect(header == event.key.messageID)
        let signature = request.headers.first { $0.name == "webhook-signature" }?.value
        #expect(
            signature
                == WebhookSigner.standardSignatureHeader(
                    secrets: [webhook.secret], messageID: event.key.messageID, timestamp: 1_706_256_001, body: request.body))
    }
}
