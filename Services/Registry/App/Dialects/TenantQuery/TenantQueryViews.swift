import Foundation
import WebhookCore

/// A webhook as the tenant-parameter dialect lists it (`id`, `url`, `status`, `created_at`) and its
/// named create answers it (`webhook_id`, `status`), with the other summary fields.
struct TenantQueryWebhookView: ExplicitNulls {
    let id: Int64
    let webhook_id: Int64
    let tenant_id: Int64
    let name: String
    let url: String
    let events: [String]
    /// The payload filter, an extension of this dialect (`null` when none).
    let filter: JSONValue?
    /// Delivery overrides, extensions of this dialect (`null`: the global setting).
    let rate_limit: Int?
    let max_in_flight: Int?
    let retry_schedule: [Int]?
    let status: String
    let enabled: Bool
    let created_at: String

    init(_ w: Webhook) {
        id = w.id
        webhook_id = w.id
        tenant_id = w.tenantId
        name = w.name
        url = w.url
        events = w.events
        filter = w.filter
        rate_limit = w.rateLimit
        max_in_flight = w.maxInFlight
        retry_schedule = w.retrySchedule
        status = w.status.rawValue
        enabled = w.status == .active
        created_at = Timestamp.format(w.createdAt)
    }
}

/// `{"id": ...}`, the tenant-parameter dialect's answer to delete and retry.
struct IDView: Encodable {
    let id: Int64
}
