import Testing
import WebhookCore

@testable import DeliveryApp

/// The registry stores its test sends' headers with `StoredHeaders`; delivery stores its attempts'
/// with `Dispatcher.redacted`. Both logs are shown side by side, so both must keep the same things.
@Suite("Stored headers")
struct StoredHeadersTests {
    let sent: [(name: String, value: String)] = [
        ("Content-Type", "application/json"), ("webhook-signature", "v1,abc"), ("X-Webhook-Signature", "0f"),
        ("X-Api-Key", "k-123"), ("Authorization", "Bearer t"), ("X-Team", "blue"), ("Cookie", "c=1"),
    ]
    let custom = ["x-api-key": "k-123", "Authorization": "Bearer t", "X-Team": "blue"]

    @Test func customCredentialsAreMaskedAndThePlatformsHeadersKept() {
        let stored = StoredHeaders.request(sent, custom: custom)
        #expect(stored["X-Api-Key"] == "[redacted]")
        #expect(stored["Authorization"] == "[redacted]")
        #expect(stored["X-Team"] == "blue")
        #expect(stored["Cookie"] == "c=1", "not a custom header: the platform never sends one, so nothing to hide")
        #expect(stored["webhook-signature"] == "v1,abc")
        #expect(stored["X-Webhook-Signature"] == "0f")
    }

    @Test func theSameRuleAsDelivery() {
        #expect(StoredHeaders.request(sent, custom: custom) == Dispatcher.redacted(sent, custom: custom))
        #expect(StoredHeaders.sensitiveWords == Dispatcher.sensitiveHeaderWords)
    }

    @Test func responseHeadersByLowercaseName() {
        let stored = StoredHeaders.response([("Content-Type", "text/plain"), ("X-Id", "1"), ("x-id", "2")])
        #expect(stored == ["content-type": "text/plain", "x-id": "2"])
    }
}
