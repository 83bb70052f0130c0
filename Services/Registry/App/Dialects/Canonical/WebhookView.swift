import Foundation
import WebhookCore

/// A webhook as the canonical API shows it (snake_case: `webhook_id`, `tenant_id`, ...). The secret is only shown in
/// detail responses to admins.
struct WebhookView: Encodable {
    let webhook: Webhook
    let includeSecret: Bool

    enum Keys: String, CodingKey {
        case webhook_id, id, tenant_id, name, description, url, secret, headers, events, resource_key_pattern, filter,
            association_type, association_id, enabled, status, disabled_reason, retry_enabled, max_attempts, rate_limit, max_in_flight, retry_schedule,
            signature_header, event_header, created_by, updated_by, created_at, updated_at, last_error,
            previous_secret_expires_at
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        let w = webhook
        try c.encode(w.id, forKey: .webhook_id)
        try c.encode(w.id, forKey: .id)
        try c.encode(w.tenantId, forKey: .tenant_id)
        try c.encode(w.name, forKey: .name)
        try c.encode(w.description, forKey: .description)
        try c.encode(w.url, forKey: .url)
        if includeSecret { try c.encode(w.secret, forKey: .secret) }
        try c.encode(w.headers, forKey: .headers)
        try c.encode(w.events, forKey: .events)
        try c.encode(w.resourceKeyPattern, forKey: .resource_key_pattern)
        try c.encode(w.filter, forKey: .filter)
        try c.encode(w.associationType.rawValue, forKey: .association_type)
        try c.encode(w.associationId, forKey: .association_id)
        try c.encode(w.status == .active, forKey: .enabled)
        try c.encode(w.status.rawValue, forKey: .status)
        try c.encode(w.disabledReason, forKey: .disabled_reason)
        try c.encode(w.retryEnabled, forKey: .retry_enabled)
        try c.encode(w.maxAttempts, forKey: .max_attempts)
        try c.encode(w.rateLimit, forKey: .rate_limit)
        try c.encode(w.maxInFlight, forKey: .max_in_flight)
        try c.encode(w.retrySchedule, forKey: .retry_schedule)
        try c.encode(w.signatureHeader, forKey: .signature_header)
        try c.encode(w.eventHeader, forKey: .event_header)
        try c.encode(w.createdBy, forKey: .created_by)
        try c.encode(w.updatedBy, forKey: .updated_by)
        try c.encode(Timestamp.format(w.createdAt), forKey: .created_at)
        try c.encode(Timestamp.format(w.updatedAt), forKey: .updated_at)
        try c.encode(w.lastError, forKey: .last_error)
        try c.encode(w.extraSigningSecrets().isEmpty ? nil : w.previousSecretExpiresAt.map(Timestamp.format), forKey: .previous_secret_expires_at)
    }
}

/// One attempt as the logs endpoint shows it (`log_id`, `event_type`, `status_code`, ...),
/// canonical and FastAPI-style alike. A test send is an attempt with `test: true`, event type
/// `WEBHOOK_TEST` and `task_id` 0 (it has no task).
struct AttemptView: ExplicitNulls {
    let log_id: Int64
    let task_id: Int64
    let event_id: String
    let event_type: String
    let attempt: Int
    let request_url: String
    let request_headers: [String: String]
    /// `null` only for a delivery attempt whose event is gone (see `AttemptLogStore`).
    let request_body: String?
    let status_code: Int?
    let response_headers: [String: String]
    let response_body: String?
    let duration_ms: Int
    let error: String?
    let success: Bool
    let created_at: String
    /// A test send of the registry, not a delivery.
    let test: Bool
    /// Made for a replay or recovery job (`/api/v1/jobs`), not for the event's own delivery.
    let replayed: Bool
    /// That job.
    let job_id: Int64?

    init(_ a: DeliveryAttempt) {
        log_id = a.id
        task_id = a.taskId
        event_id = a.eventId
        event_type = a.eventType
        attempt = a.attemptNumber
        request_url = a.requestURL
        request_headers = a.requestHeaders
        request_body = a.requestBody
        status_code = a.responseStatus
        response_headers = a.responseHeaders
        response_body = a.responseBody
        duration_ms = a.durationMs
        error = a.error
        success = a.success
        created_at = Timestamp.format(a.createdAt)
        test = a.isTest
        replayed = a.jobId != nil
        job_id = a.jobId
    }
}

/// The canonical pagination object.
struct PaginationView: Encodable {
    let page: Int
    let page_size: Int
    let total: Int
    let total_pages: Int

    init(page: Int, pageSize: Int, total: Int) {
        self.page = page
        self.page_size = pageSize
        self.total = total
        self.total_pages = total == 0 ? 0 : (total + pageSize - 1) / pageSize
    }
}

/// A page of items.
struct PageView<Item: Encodable>: Encodable {
    let items: [Item]
    let pagination: PaginationView
}
