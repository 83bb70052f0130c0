import Foundation
import TestSupport
import Testing

@testable import WebhookCore

@Suite("Signatures")
struct SigningTests {
    /// Standard Webhooks verification written independently, in Python, from the specification.
    static let verifier = """
        import base64, hashlib, hmac, json, sys
        d = json.loads(sys.stdin.read())
        secret = d["secret"]
        key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else secret.encode()
        signed = (d["id"] + "." + d["ts"] + "." + d["body"]).encode()
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        entries = [e.split(",", 1)[1] for e in d["header"].split(" ") if e.startswith("v1,")]
        ok_std = any(hmac.compare_digest(expected, e) for e in entries)
        hexsig = hmac.new(secret.encode(), json.dumps(json.loads(d["body"]), sort_keys=True).encode(), hashlib.sha256).hexdigest()
        print("ok" if ok_std and hexsig == d["hex"] else "bad")
        """

    @Test(
        "Standard Webhooks and the FastAPI-style hex signature verify in Python",
        arguments: [
            WebhookSigner.generateSecret(), "your-webhook-secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ])
    func verifiesIndependently(secret: String) throws {
        let event = Event(
            id: "evt_1", type: "job.failed", occurredAt: Date(timeIntervalSince1970: 1_706_256_000),
            tenantId: 7, data: try JSONParser.parse(#"{"job_id": "job-abc123", "note": "naïve ☃"}"#))
        let webhook = Webhook(tenantId: 7, url: "https://example.com/hook", secret: secret, events: ["job.*"])
        let request = WebhookRequest.make(webhook: webhook, event: event, messageID: "msg_42", timestamp: 1_706_256_001)
        func header(_ name: String) -> String { request.headers.first { $0.name == name }!.value }
        let input: [String: String] = [
            "secret": secret, "id": header("webhook-id"), "ts": header("webhook-timestamp"),
            "body": String(decoding: request.body, as: UTF8.self), "header": header("webhook-signature"),
            "hex": header("X-Webhook-Signature"),
        ]
        let output = try PythonOracle.run(Self.verifier, input: Array(try JSONEncoder().encode(input)))
        #expect(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }

    @Test func rotationSignsWithEverySecret() {
        let header = WebhookSigner.standardSignatureHeader(secrets: ["whsec_AAAA", "old-secret"], messageID: "m", timestamp: 1, body: [1, 2])
        let entries = header.split(separator: " ")
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.hasPrefix("v1,") })
        #expect(entries[0] != entries[1])
    }

    @Test func generatedSecretsAreStandardWebhooksSecrets() {
        let secret = WebhookSigner.generateSecret()
        #expect(secret.hasPrefix("whsec_"))
        #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 24)
        #expect(secret != WebhookSigner.generateSecret())
    }

    @Test func requestCarriesTheExpectedHeaders() {
        var webhook = Webhook(tenantId: 1, url: "https://example.com", secret: "s", headers: ["X-Team": "core", "webhook-id": "spoof"], events: ["*"])
        webhook.signatureHeader = "X-ATLAS-Signature"
        webhook.eventHeader = "X-ATLAS-Event"
        let event = Event(id: "e", type: "service.started", occurredAt: Date(timeIntervalSince1970: 0))
        let request = WebhookRequest.make(webhook: webhook, event: event, messageID: "msg_1", timestamp: 5)
        let names = request.headers.map(\.name)
        #expect(names.contains("X-Team"))
        #expect(request.headers.filter { $0.name.lowercased() == "webhook-id" }.map(\.value) == ["msg_1"])
        #expect(request.headers.first { $0.name == "X-ATLAS-Event" }?.value == "service.started")
        #expect(request.headers.contains { $0.name == "X-ATLAS-Signature" })
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"data": {}, "event": "service.started", "id": "e", "occurred_at": "1970-01-01T00:00:00Z", "timestamp": 0}"#)
    }
}
