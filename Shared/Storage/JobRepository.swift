import Foundation
import WebhookCore

/// The replay and recovery jobs as the registry's API sees them. `JobStore` is the PostgreSQL
/// implementation; tests use an in-memory one. `scope` is the caller's tenant (`nil`: every tenant).
public protocol JobRepository: Sendable {
    /// Creates a queued job, or returns the one created earlier with the same idempotency key and
    /// tenant (`created` is then false).
    func create(_ request: JobRequest) async throws(StorageError) -> (job: DeliveryJob, created: Bool)

    /// The job created with `idempotencyKey` by tenant `tenantId` (`nil`: tenant-less), if any.
    func find(idempotencyKey: String, tenantId: Int64?) async throws(StorageError) -> DeliveryJob?

    /// Job `id`, if visible within `scope`.
    func get(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryJob?

    /// A page (1-based) of the jobs visible within `scope`, newest first, and their total count.
    func list(scope: Int64?, status: JobStatus?, page: Int, pageSize: Int) async throws(StorageError) -> (items: [DeliveryJob], total: Int)

    /// Cancels job `id` if it is still queued or running; returns it as it now is (`nil`: not visible).
    func cancel(id: Int64, scope: Int64?) async throws(StorageError) -> DeliveryJob?

    /// How many jobs of tenant `tenantId` (`nil`: tenant-less) are queued or running.
    func activeCount(tenantId: Int64?) async throws(StorageError) -> Int
}
