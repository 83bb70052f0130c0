import Foundation

/// The signed HTTP request for one delivery attempt: pure, so it is tested without a network.
public struct WebhookRequest: Sendable, Equatable {
    public var url: String
    /// Ordered header fields.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public static func == (a: WebhookRequest, b: WebhookRequest) -> Bool {
        a.url == b.url && a.body == b.body && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }

    /// Product name in the `User-Agent` header.
    public static let userAgent = "Webhooks-Delivery/1.0 (+https://www.standardwebhooks.com)"

    /// The outgoing body: `{"id","event","timestamp","occurred_at","data", ...scope}` in canonical JSON.
    /// `timestamp` is the event's time in Unix seconds, so the body is the same on every retry.
    public static func body(for event: Event) -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(event.id)),
            ("event", .string(event.type)),
            ("timestamp", .int(Int64(event.occurredAt.timeIntervalSince1970.rounded(.down)))),
            ("occurred_at", .string(Timestamp.format(event.occurredAt))),
            ("data", event.data),
        ]
        if let tenantId = event.tenantId { members.append(("tenant_id", .int(tenantId))) }
        if let t = event.associationType { members.append(("association_type", .string(t.rawValue))) }
        if let a = event.associationId { members.append(("association_id", .string(a))) }
        if let r = event.resourceKey { members.append(("resource_key", .string(r))) }
        return CanonicalJSON.encode(.object(members))
    }

    /// Builds the signed request.
    /// - Parameters:
    ///   - webhook: the endpoint (URL, secret, custom headers, header names).
    ///   - event: the event delivered.
    ///   - messageID: the `webhook-id`: the event's `EventKey.messageID` for deliveries.
    ///   - timestamp: the `webhook-timestamp` of this attempt (Unix seconds).
    ///   - extraSecrets: previous secrets still valid during a rotation; each adds a signature entry.
    ///   - body: `body(for: event)` when the caller made it already (once for all of an event's webhooks).
    ///   - keys: keyed signing states kept across requests (by webhook id and secret); without it
    ///     the keys are derived for this request alone. The request is the same either way.
    public static func make(
        webhook: Webhook, event: Event, messageID: String, timestamp: Int64, extraSecrets: [String] = [],
        body: [UInt8]? = nil, keys: SigningKeys? = nil
    ) -> WebhookRequest {
        let body = body ?? Self.body(for: event)
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(webhook.headers.count + 7)
        // Custom headers first. The registry refuses names the platform owns (and migration 17
        // disabled older rows using them); one stored otherwise is still never sent.
        if !webhook.headers.isEmpty {
            for (name, value) in webhook.headers.sorted(by: { $0.key < $1.key })
            where !WebhookValidation.isReservedHeader(name, signatureHeader: webhook.signatureHeader, eventHeader: webhook.eventHeader) {
                headers.append((name, value))
            }
        }
        headers.append(("Content-Type", "application/json"))
        headers.append(("User-Agent", userAgent))
        headers.append(("webhook-id", messageID))
        headers.append(("webhook-timestamp", String(timestamp)))
        let standard: String
        let hex: String
        if let keys {
            let keyed = keys.keyed(webhookID: webhook.id, secret: webhook.secret)
            var entries = [WebhookSigner.standardSignature(keyed: keyed.standard, messageID: messageID, timestamp: timestamp, body: body)]
            for secret in extraSecrets {
                let extra = keys.keyed(webhookID: webhook.id, secret: secret)
                entries.append(WebhookSigner.standardSignature(keyed: extra.standard, messageID: messageID, timestamp: timestamp, body: body))
            }
            standard = entries.joined(separator: " ")
            hex = WebhookSigner.hexSignature(keyed: keyed.hex, body: body)
        } else {
            standard = WebhookSigner.standardSignatureHeader(
                secrets: [webhook.secret] + extraSecrets, messageID: messageID, timestamp: timestamp, body: body)
            hex = WebhookSigner.hexSignature(secret: webhook.secret, body: body)
        }
        headers.append(("webhook-signature", standard))
        headers.append((webhook.signatureHeader, hex))
        headers.append((webhook.eventHeader, event.type))
        return WebhookRequest(url: webhook.url, headers: headers, body: body)
    }
}
