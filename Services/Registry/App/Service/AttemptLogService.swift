import Foundation
import ServiceKit
import Storage
import WebhookCore

/// Recorded attempts (every dialect's "logs") for the routes: listings, one attempt and a
/// webhook's statistics, within the caller's tenant, with storage failures as API errors.
struct AttemptLogService: Sendable {
    let logs: any AttemptLogRepository

    /// A page of the attempts `filter` selects, newest first, and their total count.
    func list(_ filter: AttemptFilter, page: Int, pageSize: Int) async throws -> (items: [DeliveryAttempt], total: Int) {
        try await storeCall { try await logs.list(filter, page: page, pageSize: pageSize) }
    }

    /// Attempt `id` within the caller's tenant; 404 `E_LOG_NOT_FOUND` otherwise.
    func get(_ id: Int64, _ identity: Identity) async throws -> DeliveryAttempt {
        guard let attempt = try await storeCall({ try await logs.get(id: id, scope: identity.tenantId) }) else {
            throw Self.notFound(id)
        }
        return attempt
    }

    /// Statistics of `webhook`'s attempts since `since`, the series in buckets of `bucketSeconds`
    /// (the caller has already read the webhook).
    func stats(of webhook: Webhook, since: Date, bucketSeconds: Int) async throws -> AttemptStats {
        try await storeCall { try await logs.stats(webhookId: webhook.id, since: since, bucketSeconds: bucketSeconds) }
    }

    static func notFound(_ id: Int64) -> APIError { .notFound("E_LOG_NOT_FOUND", "log \(id) does not exist") }
}
