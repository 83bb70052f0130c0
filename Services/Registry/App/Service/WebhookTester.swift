import Foundation
import Outbound
import WebhookCore

/// What the synchronous test request produced.
struct TestOutcome: Sendable {
    var eventId: String
    var messageId: String
    var requestURL: String
    var requestHeaders: [(name: String, value: String)]
    var requestBody: String
    var statusCode: Int?
    var responseHeaders: [(name: String, value: String)]
    var responseBody: String?
    var durationMs: Int
    var error: String?
    var sentAt: Date

    /// A 2xx answer.
    var success: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}

/// Sends a `WEBHOOK_TEST` event to a webhook right away, signed and guarded exactly as delivery sends
/// (same request builder, signer and outbound client with the same SSRF policy). Sending only:
/// `TestSendService` records the send in the webhook's logs.
struct WebhookTester: Sendable {
    let client: OutboundClient
    let connectTimeout: Duration
    let requestTimeout: Duration
    /// Response bytes kept, as delivery keeps.
    let maxResponseBytes = 64 << 10

    func test(_ webhook: Webhook, by subject: String) async -> TestOutcome {
        let now = Date()
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
        let event = Event(
            id: "evt_test_\(suffix)", type: EventCatalogue.testEventType, occurredAt: now, tenantId: webhook.tenantId,
            associationType: webhook.associationType, associationId: webhook.associationId,
            data: .object([
                ("message", .string("This is a test event sent from the webhook registry")),
                ("webhook_id", .int(webhook.id)),
                ("requested_by", .string(subject)),
            ]))
        let request = WebhookRequest.make(
            webhook: webhook, event: event, messageID: "msg_test_\(suffix)", timestamp: Int64(now.timeIntervalSince1970),
            extraSecrets: webhook.extraSigningSecrets(at: now))
        var outcome = TestOutcome(
            eventId: event.id, messageId: "msg_test_\(suffix)", requestURL: request.url, requestHeaders: request.headers,
            requestBody: String(decoding: request.body, as: UTF8.self), statusCode: nil, responseHeaders: [], responseBody: nil,
            durationMs: 0, error: nil, sentAt: now)
        let start = ContinuousClock.now
        do {
            let response = try await client.send(
                OutboundRequest(
                    url: request.url, method: "POST", headers: request.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) },
                    body: request.body, connectTimeout: connectTimeout, totalTimeout: requestTimeout, maxResponseBytes: maxResponseBytes))
            outcome.statusCode = response.statusCode
            outcome.responseHeaders = response.headers.map { ($0.name, $0.value) }
            outcome.responseBody = String(decoding: response.body, as: UTF8.self)
            if !outcome.success { outcome.error = "HTTP \(response.statusCode)" }
        } catch {
            outcome.error = error.description
        }
        let elapsed = (ContinuousClock.now - start).components
        outcome.durationMs = Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)
        return outcome
    }
}
