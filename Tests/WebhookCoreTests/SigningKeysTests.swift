import Foundation
import Testing

@testable import WebhookCore

/// Requests signed with keys kept across requests (`SigningKeys`) are the same as requests whose
/// keys are derived for them alone, and the kept keys are per webhook and secret, and bounded.
@Suite("Signing keys")
struct SigningKeysTests {
    let event = Event(
        id: "evt_1", type: "job.failed", occurredAt: Date(timeIntervalSince1970: 1_706_256_000), tenantId: 7,
        data: .object([("job_id", .string("job-abc123"))]))

    @Test(
        "a request signed with kept keys is the request signed without them",
        arguments: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "your-webhook-secret", "whsec_", "whsec_not base64!", ""])
    func sameRequest(secret: String) {
        let keys = SigningKeys()
        var webhook = Webhook(id: 3, tenantId: 7, url: "https://example.com/hook", secret: secret, headers: ["X-Team": "core"], events: ["*"])
        webhook.previousSecret = "whsec_AAAAAAAA"
        let extra = ["whsec_AAAAAAAA"]
        for timestamp in [Int64(1), 1_706_256_001, 1_706_256_001] {
            let plain = WebhookRequest.make(webhook: webhook, event: event, messageID: "msg_42", timestamp: timestamp, extraSecrets: extra)
            let kept = WebhookRequest.make(
                webhook: webhook, event: event, messageID: "msg_42", timestamp: timestamp, extraSecrets: extra, keys: keys)
            #expect(kept == plain)
        }
        #expect(keys.count == 2, "the current and the previous secret, each derived once")
    }

    @Test func aKeptStateIsNotChangedBySigning() {
        let keyed = SigningKeys.Keyed(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let first = WebhookSigner.hexSignature(keyed: keyed.hex, body: [1, 2, 3])
        _ = WebhookSigner.hexSignature(keyed: keyed.hex, body: [9, 9])
        _ = WebhookSigner.standardSignature(keyed: keyed.standard, messageID: "m", timestamp: 1, body: [4])
        #expect(WebhookSigner.hexSignature(keyed: keyed.hex, body: [1, 2, 3]) == first)
        #expect(first == WebhookSigner.hexSignature(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", body: [1, 2, 3]))
        #expect(
            WebhookSigner.standardSignature(keyed: keyed.standard, messageID: "m", timestamp: 1, body: [4])
                == WebhookSigner.standardSignature(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", messageID: "m", timestamp: 1, body: [4]))
    }

    @Test func keysArePerWebhookAndSecret() {
        let keys = SigningKeys()
        let a = Webhook(id: 1, tenantId: 1, url: "https://a.example", secret: "secret-a", events: ["*"])
        var b = Webhook(id: 2, tenantId: 2, url: "https://a.example", secret: "secret-b", events: ["*"])
        let signedA = WebhookRequest.make(webhook: a, event: event, messageID: "m", timestamp: 1, keys: keys)
        let signedB = WebhookRequest.make(webhook: b, event: event, messageID: "m", timestamp: 1, keys: keys)
        #expect(signedA != signedB)
        // A rotated secret signs with the new key at once.
        b.secret = "secret-b2"
        let rotated = WebhookRequest.make(webhook: b, event: event, messageID: "m", timestamp: 1, keys: keys)
        #expect(rotated == WebhookRequest.make(webhook: b, event: event, messageID: "m", timestamp: 1))
        #expect(rotated != signedB)
        // The same secret on another webhook is another entry.
        _ = keys.keyed(webhookID: 9, secret: "secret-a")
        #expect(keys.count == 4)
    }

    @Test func theCacheIsBounded() {
        let keys = SigningKeys(capacity: 3)
        for id in Int64(1)...10 { _ = keys.keyed(webhookID: id, secret: "s") }
        #expect(keys.count <= 3)
        #expect(keys.count >= 1)
    }
}
