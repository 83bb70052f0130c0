import Foundation
import WebhookCore

/// The delivery-task operations the registry's service layer uses: listing and manual
/// rescheduling. `TaskStore` is the PostgreSQL implementation; tests use an in-memory one.
///
/// Every call takes the caller's tenant scope (through the task's webhook): `nil` means every tenant.
public protocol TaskRepository: Sendable {
    /// A page (1-based) of the tasks `filter` selects, newest (highest id) first, and their total count.
    func list(_ filter: TaskFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [TaskRecord], total: Int)

    /// Task `id` within `scope`, if visible.
    func get(id: Int64, scope: Int64?) async throws(StorageError) -> TaskRecord?

    /// Sets task `id` to `retry`, due now; returns the task, or `nil` when it is not visible.
    func scheduleRetry(id: Int64, scope: Int64?) async throws(StorageError) -> TaskRecord?

    /// What attempt (log) `attemptId` belongs to, within `scope`; `nil` when it is not visible.
    func owner(ofAttempt attemptId: Int64, scope: Int64?) async throws(StorageError) -> AttemptOwner?

    /// Sets up to `limit` failed tasks created in `[since, until)` (optionally of one webhook) to
    /// `retry`, due now, and returns their ids, oldest first.
    func recoverFailed(scope: Int64?, since: Date, until: Date?, webhookId: Int64?, limit: Int) async throws(StorageError) -> [Int64]

    /// Event `id` of `eventScope` (a tenant id, or -1 for a tenant-less event) with its tasks (of
    /// webhooks within `scope`; `nil`: every tenant) and their attempts; `nil` when there is no such event.
    func event(id: String, eventScope: Int64, scope: Int64?) async throws(StorageError) -> EventDetail?

    /// A page (1-based) of the events `filter` selects, newest arrival first, and their total count.
    func events(_ filter: EventListFilter, page: Int, pageSize: Int) async throws(StorageError) -> (items: [EventRecord], total: Int)
}
