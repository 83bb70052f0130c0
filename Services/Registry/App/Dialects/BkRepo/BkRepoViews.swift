import Foundation
import WebhookCore

/// A webhook as bkrepo shows it: string ids, `token`, `triggers`, camelCase audit fields.
struct BkRepoWebhookView: Encodable {
    let id: String
    let url: String
    let token: String?
    let triggers: [String]
    let headers: [String: String]
    let resourceKeyPattern: String?
    /// The payload filter, an extension of this dialect (`null` when none).
    let filter: JSONValue?
    /// Delivery overrides, extensions of this dialect (`null`: the global setting).
    let rateLimit: Int?
    let maxInFlight: Int?
    let retrySchedule: [Int]?
    let associationType: String
    let associationId: String?
    let enabled: Bool
    let status: String
    let createdBy: String
    let createdDate: String
    let lastModifiedBy: String
    let lastModifiedDate: String

    init(_ w: Webhook, includeSecret: Bool) {
        id = String(w.id)
        url = w.url
        token = includeSecret ? w.secret : nil
        triggers = w.events
        headers = w.headers
        resourceKeyPattern = w.resourceKeyPattern
        filter = w.filter
        rateLimit = w.rateLimit
        maxInFlight = w.maxInFlight
        retrySchedule = w.retrySchedule
        associationType = w.associationType.rawValue
        associationId = w.associationId
        enabled = w.status == .active
        status = w.status.rawValue
        createdBy = w.createdBy
        createdDate = Timestamp.format(w.createdAt)
        lastModifiedBy = w.updatedBy
        lastModifiedDate = Timestamp.format(w.updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, url, token, triggers, headers, resourceKeyPattern, filter, rateLimit, maxInFlight, retrySchedule, associationType, associationId, enabled,
            status
        case createdBy, createdDate, lastModifiedBy, lastModifiedDate
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(url, forKey: .url)
        if let token { try c.encode(token, forKey: .token) }
        try c.encode(triggers, forKey: .triggers)
        try c.encode(headers, forKey: .headers)
        try c.encode(resourceKeyPattern, forKey: .resourceKeyPattern)
        try c.encode(filter, forKey: .filter)
        try c.encode(rateLimit, forKey: .rateLimit)
        try c.encode(maxInFlight, forKey: .maxInFlight)
        try c.encode(retrySchedule, forKey: .retrySchedule)
        try c.encode(associationType, forKey: .associationType)
        try c.encode(associationId, forKey: .associationId)
        try c.encode(enabled, forKey: .enabled)
        try c.encode(status, forKey: .status)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(createdDate, forKey: .createdDate)
        try c.encode(lastModifiedBy, forKey: .lastModifiedBy)
        try c.encode(lastModifiedDate, forKey: .lastModifiedDate)
    }
}

/// A request log (attempt or test) as bkrepo shows it; a test send's log has `triggeredEvent`
/// `WEBHOOK_TEST` and `test: true`.
struct BkRepoLogView: ExplicitNulls {
    let id: String
    let webHookId: String
    let webHookUrl: String
    /// bkrepo's log list spells it `webhookUrl`.
    let webhookUrl: String
    let triggeredEvent: String
    let requestHeaders: [String: String]
    /// `null` only for a delivery attempt whose event is gone (see `AttemptLogStore`).
    let requestPayload: String?
    let status: String
    let responseHeaders: [String: String]
    let responseBody: String?
    let requestDuration: Int
    let requestTime: String
    let errorMsg: String?
    /// A test send of the registry, not a delivery.
    let test: Bool

    init(_ a: DeliveryAttempt) {
        id = String(a.id)
        webHookId = String(a.webhookId)
        webHookUrl = a.requestURL
        webhookUrl = a.requestURL
        triggeredEvent = a.eventType
        requestHeaders = a.requestHeaders
        requestPayload = a.requestBody
        status = a.success ? "SUCCESS" : "FAIL"
        responseHeaders = a.responseHeaders
        responseBody = a.responseBody
        requestDuration = a.durationMs
        requestTime = Timestamp.format(a.createdAt)
        errorMsg = a.error
        test = a.isTest
    }

    /// The answer to a test: what was sent (headers unmasked) and what came back; `id` is the log
    /// id of the recorded test send (the event id when it could not be recorded).
    init(test sent: TestSend, webhookId: Int64) {
        let o = sent.outcome
        id = sent.log.map { String($0.id) } ?? o.eventId
        webHookId = String(webhookId)
        webHookUrl = o.requestURL
        webhookUrl = o.requestURL
        triggeredEvent = EventCatalogue.testEventType
        requestHeaders = headerMap(o.requestHeaders)
        requestPayload = o.requestBody
        status = o.success ? "SUCCESS" : "FAIL"
        responseHeaders = headerMap(o.responseHeaders)
        responseBody = o.responseBody
        requestDuration = o.durationMs
        requestTime = Timestamp.format(o.sentAt)
        errorMsg = o.error
        test = true
    }
}
