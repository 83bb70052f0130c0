import Foundation
import WebhookCore

/// The attempt-log operations the registry's service layer uses. `AttemptLogStore` is the
/// PostgreSQL implementation; tests use an in-memory one.
///
/// Every read takes the caller's tenant scope (through the attempt's webhook): `nil` means every tenant.
public protocol AttemptLogRepository: Sendable {
    /// A page (1-based) of the attempts `filter` selects, newest first (by time, then id), and their total count.
    func list(_ filter: AttemptFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [DeliveryAttempt], total: Int)

    /// Attempt `id` within `scope`, if visible.
    func get(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryAttempt?

    /// Counts and latency of webhook `webhookId`'s delivery attempts since `since` (test sends apart),
    /// and its tasks by status, with the attempts in buckets of `bucketSeconds` (at least 60).
    func stats(webhookId: Int64, since: Date, bucketSeconds: Int) async throws(StorageError) -> AttemptStats

    /// Records a test send of the registry as an attempt of `attempt.webhookId` in tenant `tenantId`;
    /// returns it as stored, or `nil` when the webhook no longer exists in that tenant.
    func recordTestSend(_ attempt: DeliveryAttempt, tenantId: Int64) async throws(StorageError) -> DeliveryAttempt?
}
